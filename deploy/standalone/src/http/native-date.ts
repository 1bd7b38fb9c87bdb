/**
 * Loading Next.js replaces the process's global Date with one that reports clock reads to the
 * prerenders of its `cacheComponents` mode, which the web app does not use. In this process every
 * Date the services make (one per timestamp of every row read) would go through it: a few percent
 * of a board request's CPU. Puts back the Date captured before Next.js loaded.
 */
export function keepNativeDate(nativeDate: DateConstructor): void {
  if (globalThis.Date === nativeDate) {
    return;
  }
  globalThis.Date = nativeDate;
  Object.defineProperty(nativeDate.prototype, 'constructor', {
    value: nativeDate,
    writable: true,
    configurable: true,
  });
}
