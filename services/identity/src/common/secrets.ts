import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Bytes as Prisma reads and writes them. */
export type Hash = Uint8Array<ArrayBuffer>;

/** A random opaque token (refresh tokens, invitation tokens): 256 bits, base64url. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** What is stored for a bearer secret: its sha256. High-entropy secrets need no slow hash. */
export const sha256 = (value: string): Hash =>
  new Uint8Array(createHash('sha256').update(value, 'utf8').digest());

export const sameHash = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && timingSafeEqual(a, b);
