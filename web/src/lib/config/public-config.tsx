'use client';

import { createContext, useContext } from 'react';

/** What the browser needs to know about where things run, handed over by the server per request. */
export type PublicConfig = { gatewayUrl: string };

export const PublicConfigContext = createContext<PublicConfig>({ gatewayUrl: '' });

export function usePublicConfig(): PublicConfig {
  return useContext(PublicConfigContext);
}
