import { keepNativeDate } from './native-date';

describe('keepNativeDate', () => {
  it("undoes Next.js's replacement of the global Date once its server is loaded", async () => {
    const nativeDate = Date;
    // What `next()` loads on `prepare()`.
    await import('next/dist/server/next-server.js');
    expect(Date).not.toBe(nativeDate);

    keepNativeDate(nativeDate);

    expect(Date).toBe(nativeDate);
    expect(new Date(0).constructor).toBe(nativeDate);
    expect(new Date(0).toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(Function.prototype.toString.call(Date)).toContain('[native code]');
  });
});
