/** Only paths inside this app are followed after logging in. */
export function safeNext(next: string | null | undefined, fallback = '/workspaces'): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
    ? next
    : fallback;
}
