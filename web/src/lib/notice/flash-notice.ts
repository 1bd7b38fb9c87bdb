import { useSyncExternalStore } from 'react';

/**
 * One message carried across a client-side navigation (e.g. "You no longer have access to …"
 * shown on the page the person is sent to). Kept in memory: it never comes from the URL.
 */
let current: string | null = null;
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of listeners) {
    listener();
  }
}

export function flashNotice(message: string): void {
  current = message;
  emit();
}

export function dismissFlashNotice(): void {
  current = null;
  emit();
}

export function useFlashNotice(): string | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
    () => null,
  );
}
