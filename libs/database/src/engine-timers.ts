let installed = false;

/**
 * Stops the Prisma CLI from lingering after it has finished.
 *
 * The WASM schema engine bundled with Prisma 6.19 arms guard timers through `setTimeout` (e.g. a
 * 10 s advisory-lock timeout on every `migrate` command) and its JS glue has no `clearTimeout`, so
 * a finished command waits for them to fire before the process exits. This makes every timer armed
 * from WebAssembly `unref()`ed: it still fires if the process is busy anyway (sockets in flight
 * keep it alive), but it no longer holds an idle process open. Timers armed from JS are untouched.
 *
 * Installed by `servicePrismaConfig`, i.e. only inside a Prisma CLI process. Idempotent.
 */
export function unrefEngineTimers(): void {
  if (installed) {
    return;
  }
  installed = true;
  const original = globalThis.setTimeout;
  const patched = function setTimeout(...args: Parameters<typeof original>) {
    const timer = original(...args);
    if (new Error().stack?.includes('wasm://')) {
      timer.unref();
    }
    return timer;
  };
  globalThis.setTimeout = Object.assign(patched, original);
}
