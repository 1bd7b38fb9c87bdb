'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { type FormEvent, useId } from 'react';
import { MeDocument } from '../../graphql/generated';
import { useLiveStatus } from '../../lib/live/live-provider';
import { useGraphQL, useSessionClient } from '../../lib/session/session-provider';
import styles from './app-header.module.css';
import { formText } from '../../lib/forms/form-text';
import { WorkspaceSwitcher } from './workspace-switcher';

const LIVE_STATES = {
  connecting: { label: 'Connecting…', className: styles.isConnecting },
  live: { label: 'Live', className: styles.isLive },
  reconnecting: { label: 'Reconnecting…', className: styles.isConnecting },
  stopped: { label: 'Offline', className: styles.isStopped },
} as const;

export function AppHeader({ workspaceId }: { workspaceId: string }) {
  const gql = useGraphQL();
  const client = useSessionClient();
  const router = useRouter();
  const pathname = usePathname();
  const searchId = useId();
  const live = useLiveStatus();
  const me = useQuery({ queryKey: ['me'], queryFn: ({ signal }) => gql(MeDocument, {}, signal) });
  const workspace = me.data?.me.memberships.find((m) => m.workspace.id === workspaceId)?.workspace;
  const base = `/w/${workspaceId}`;
  const links = [
    { href: `${base}/board`, label: 'Board' },
    { href: `${base}/agents`, label: 'Agents' },
    { href: `${base}/hosts`, label: 'Hosts' },
    { href: `${base}/search`, label: 'Search' },
    { href: `${base}/analytics`, label: 'Analytics' },
    { href: `${base}/costs`, label: 'Costs' },
    { href: `${base}/settings`, label: 'Settings' },
  ];
  const onSearchPage = pathname === `${base}/search`;

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const query = formText(new FormData(event.currentTarget), 'q').trim();
    router.push(`${base}/search${query ? `?q=${encodeURIComponent(query)}` : ''}`);
  }

  async function logOut() {
    await client.logOut().catch(() => undefined);
    router.push('/login');
  }

  return (
    <header className={styles.header}>
      <div className={styles.brand}>
        <Link href="/workspaces" className={styles.logo}>
          Mission Control
        </Link>
        <WorkspaceSwitcher
          current={workspaceId}
          name={workspace?.name}
          memberships={me.data?.me.memberships ?? []}
        />
      </div>
      <nav aria-label="Workspace" className={styles.nav}>
        <ul>
          {links.map((link) => {
            const current = pathname.startsWith(link.href);
            return (
              <li key={link.href}>
                <Link href={link.href} aria-current={current ? 'page' : undefined}>
                  {link.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      {!onSearchPage && (
        <form role="search" className={styles.search} onSubmit={search}>
          <label htmlFor={searchId} className="visually-hidden">
            Search
          </label>
          <input id={searchId} name="q" type="search" placeholder="Search missions and comments" />
          <button type="submit" className="button">
            Search
          </button>
        </form>
      )}
      <div className={styles.session}>
        <span
          className={`${styles.live} ${LIVE_STATES[live.status].className}`}
          title="Live updates"
        >
          <span aria-hidden="true" className={styles.dot} />
          {LIVE_STATES[live.status].label}
        </span>
        <span className={styles.user}>{me.data?.me.name}</span>
        <button type="button" className="button button-quiet" onClick={() => void logOut()}>
          Log out
        </button>
      </div>
    </header>
  );
}
