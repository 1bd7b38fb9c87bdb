'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useLiveEvents } from '../../lib/live/live-provider';
import { changesHosts, HOST_REFRESH_DELAY_MS } from './hosts-model';

/**
 * Asks again for the queries under `keys` a moment after host events of the workspace: samples
 * arrive every 15 s per host, and a burst of them is one refresh.
 */
export function useHostRefresh(
  workspaceId: string,
  keys: readonly (readonly unknown[])[],
  onRefresh?: () => void,
): void {
  const queryClient = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef({ keys, onRefresh });
  useEffect(() => {
    latest.current = { keys, onRefresh };
  });
  useLiveEvents((event) => {
    if (event.workspaceId !== workspaceId || !changesHosts(event.type) || timer.current) {
      return;
    }
    timer.current = setTimeout(() => {
      timer.current = undefined;
      for (const queryKey of latest.current.keys) {
        void queryClient.invalidateQueries({ queryKey });
      }
      latest.current.onRefresh?.();
    }, HOST_REFRESH_DELAY_MS);
  });
  useEffect(() => () => clearTimeout(timer.current), []);
}
