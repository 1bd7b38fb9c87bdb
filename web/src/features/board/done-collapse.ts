/**
 * Whether the Done column is folded away, remembered per workspace in this browser: Done only
 * grows, and once its missions are done most people look at the other columns.
 */
type Store = Pick<Storage, 'getItem' | 'setItem'>;

export const doneCollapsedKey = (workspaceId: string) => `board:${workspaceId}:done-collapsed`;

/** Folded only when this browser said so; no storage (private mode, the server) means open. */
export function readDoneCollapsed(store: Store | null, workspaceId: string): boolean {
  try {
    return store?.getItem(doneCollapsedKey(workspaceId)) === 'true';
  } catch {
    return false;
  }
}

export function writeDoneCollapsed(store: Store | null, workspaceId: string, collapsed: boolean) {
  try {
    store?.setItem(doneCollapsedKey(workspaceId), String(collapsed));
  } catch {
    // A full or refused storage only means the choice is not remembered.
  }
}
