import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { runtimeConfig } from '../lib/config/runtime-config';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Mission Control', template: '%s · Mission Control' },
  description: 'Run squads of AI agents: missions, live status, workflows and analytics.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Rendered per request so one build serves any gateway address.
  await connection();
  const { publicGatewayUrl } = runtimeConfig();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <Providers config={{ gatewayUrl: publicGatewayUrl }}>{children}</Providers>
      </body>
    </html>
  );
}
