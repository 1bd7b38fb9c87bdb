'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { shouldRetry } from '../lib/api/api-error';
import { type PublicConfig, PublicConfigContext } from '../lib/config/public-config';
import { SessionProvider } from '../lib/session/session-provider';
import { AnnouncerProvider } from '../ui/announcer';

export function Providers({ config, children }: { config: PublicConfig; children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          // Live push keeps data fresh; nothing polls or refetches on focus.
          queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: false },
          mutations: { retry: false },
        },
      }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <PublicConfigContext.Provider value={config}>
        <SessionProvider graphqlEndpoint={`${config.gatewayUrl}/graphql`}>
          <AnnouncerProvider>{children}</AnnouncerProvider>
        </SessionProvider>
      </PublicConfigContext.Provider>
    </QueryClientProvider>
  );
}
