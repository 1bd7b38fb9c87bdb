'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useRef } from 'react';
import type { MeQuery } from '../../graphql/generated';
import { ROLE_NAMES } from '../settings/settings-model';
import styles from './app-header.module.css';

type Membership = MeQuery['me']['memberships'][number];

/**
 * The open workspace's name, opening onto the person's other workspaces. A link per workspace:
 * the shell switches the session's workspace when the URL names another one.
 */
export function WorkspaceSwitcher({
  current,
  name,
  memberships,
}: {
  current: string;
  name: string | undefined;
  memberships: readonly Membership[];
}) {
  const details = useRef<HTMLDetailsElement>(null);
  const pathname = usePathname();
  // A pick navigates without a page load: close the menu behind it.
  useEffect(() => {
    details.current?.removeAttribute('open');
  }, [pathname]);
  return (
    <details
      ref={details}
      className={styles.switcher}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && details.current?.open) {
          details.current.removeAttribute('open');
          details.current.querySelector('summary')?.focus();
        }
      }}
    >
      <summary
        className={styles.workspace}
        aria-label={`Workspace: ${name ?? '…'}. Switch workspace`}
      >
        {name ?? '…'}
      </summary>
      <div className={styles.menu}>
        <ul>
          {memberships.map(({ workspace, role }) => (
            <li key={workspace.id}>
              <Link
                href={`/w/${workspace.id}/board`}
                aria-current={workspace.id === current ? 'true' : undefined}
              >
                <span className={styles.menuName}>{workspace.name}</span>
                <span className={styles.menuRole}>{ROLE_NAMES[role]}</span>
              </Link>
            </li>
          ))}
        </ul>
        <Link href="/workspaces" className={styles.menuAll}>
          All workspaces…
        </Link>
      </div>
    </details>
  );
}
