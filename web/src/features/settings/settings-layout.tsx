'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import styles from './settings.module.css';

export function SettingsLayout({
  workspaceId,
  children,
}: {
  workspaceId: string;
  children: ReactNode;
}) {
  const pathname = usePathname();
  const base = `/w/${workspaceId}/settings`;
  const tabs = [
    { href: base, label: 'Workspace' },
    { href: `${base}/members`, label: 'Members' },
    { href: `${base}/api-keys`, label: 'API keys' },
    { href: `${base}/budgets`, label: 'Budgets' },
    { href: `${base}/profile`, label: 'Your profile' },
  ];
  return (
    <div className={styles.page}>
      <h1>Settings</h1>
      <nav aria-label="Settings" className={styles.tabs}>
        <ul>
          {tabs.map((tab) => (
            <li key={tab.href}>
              <Link href={tab.href} aria-current={pathname === tab.href ? 'page' : undefined}>
                {tab.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {children}
    </div>
  );
}
