/**
 * Fractional indexing: keys that sort as plain strings (byte order, COLLATE "C") and between any
 * two of which another key can always be made, so moving one card rewrites one row.
 *
 * A key is an integer part (a head letter giving its length, then base-62 digits) followed by a
 * fraction without trailing zeros: `a0` < `a0V` < `a1` < `b10`. Appending at either end grows
 * the integer part, so keys stay short when cards are mostly added at the end.
 * The scheme is David Greenspan's (as published in the `fractional-indexing` package).
 */

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ZERO = DIGITS[0]!;
const LAST_DIGIT = DIGITS[DIGITS.length - 1]!;
const INTEGER_ZERO = 'a0';
// The smallest integer part: nothing can be made before a key of it without a fraction.
const SMALLEST_INTEGER = `A${ZERO.repeat(26)}`;

export class FractionalIndexError extends Error {
  override readonly name = 'FractionalIndexError';
}

const digitAt = (value: string, index: number): number => DIGITS.indexOf(value[index] ?? ZERO);

/** A fraction strictly between `a` and `b` (null: no upper bound); neither ends with a zero. */
function midpoint(a: string, b: string | null): string {
  if (b !== null && a >= b) {
    throw new FractionalIndexError(`${a} is not below ${b}`);
  }
  if (a.endsWith(ZERO) || (b !== null && b.endsWith(ZERO))) {
    throw new FractionalIndexError('a fraction ends with zero');
  }
  if (b !== null) {
    // Keep the common prefix (a is padded with zeros) and split what follows.
    let shared = 0;
    while ((a[shared] ?? ZERO) === b[shared]) {
      shared += 1;
    }
    if (shared > 0) {
      return b.slice(0, shared) + midpoint(a.slice(shared), b.slice(shared));
    }
  }
  const low = a.length > 0 ? digitAt(a, 0) : 0;
  const high = b !== null ? digitAt(b, 0) : DIGITS.length;
  if (high - low > 1) {
    return DIGITS[Math.round((low + high) / 2)]!;
  }
  if (b !== null && b.length > 1) {
    return b.slice(0, 1);
  }
  return DIGITS[low]! + midpoint(a.slice(1), null);
}

function integerLength(head: string): number {
  if (head >= 'a' && head <= 'z') {
    return head.charCodeAt(0) - 'a'.charCodeAt(0) + 2;
  }
  if (head >= 'A' && head <= 'Z') {
    return 'Z'.charCodeAt(0) - head.charCodeAt(0) + 2;
  }
  throw new FractionalIndexError(`invalid key head ${JSON.stringify(head)}`);
}

function integerPart(key: string): string {
  const length = integerLength(key.charAt(0));
  if (length > key.length) {
    throw new FractionalIndexError(`invalid key ${JSON.stringify(key)}`);
  }
  return key.slice(0, length);
}

/** Whether `key` is a well-formed key (what a client or the database hands back can be checked). */
export function isValidKey(key: string): boolean {
  try {
    validateKey(key);
    return true;
  } catch {
    return false;
  }
}

function validateKey(key: string): void {
  if (key === SMALLEST_INTEGER) {
    throw new FractionalIndexError('the smallest integer is not a key');
  }
  const integer = integerPart(key);
  for (const char of key.slice(1)) {
    if (!DIGITS.includes(char)) {
      throw new FractionalIndexError(`invalid key ${JSON.stringify(key)}`);
    }
  }
  if (key.slice(integer.length).endsWith(ZERO)) {
    throw new FractionalIndexError(`invalid key ${JSON.stringify(key)}`);
  }
}

function incrementInteger(integer: string): string | null {
  const [head, ...digits] = integer.split('') as [string, ...string[]];
  let carry = true;
  for (let index = digits.length - 1; carry && index >= 0; index -= 1) {
    const next = digitAt(digits[index]!, 0) + 1;
    if (next === DIGITS.length) {
      digits[index] = ZERO;
    } else {
      digits[index] = DIGITS[next]!;
      carry = false;
    }
  }
  if (!carry) {
    return head + digits.join('');
  }
  if (head === 'Z') {
    return `a${ZERO}`;
  }
  if (head === 'z') {
    return null;
  }
  const nextHead = String.fromCharCode(head.charCodeAt(0) + 1);
  if (nextHead > 'a') {
    digits.push(ZERO);
  } else {
    digits.pop();
  }
  return nextHead + digits.join('');
}

function decrementInteger(integer: string): string | null {
  const [head, ...digits] = integer.split('') as [string, ...string[]];
  let borrow = true;
  for (let index = digits.length - 1; borrow && index >= 0; index -= 1) {
    const next = digitAt(digits[index]!, 0) - 1;
    if (next === -1) {
      digits[index] = LAST_DIGIT;
    } else {
      digits[index] = DIGITS[next]!;
      borrow = false;
    }
  }
  if (!borrow) {
    return head + digits.join('');
  }
  if (head === 'a') {
    return `Z${LAST_DIGIT}`;
  }
  if (head === 'A') {
    return null;
  }
  const nextHead = String.fromCharCode(head.charCodeAt(0) - 1);
  if (nextHead < 'Z') {
    digits.push(LAST_DIGIT);
  } else {
    digits.pop();
  }
  return nextHead + digits.join('');
}

/**
 * A key that sorts strictly after `after` and before `before` (either null: unbounded on that
 * side). Throws FractionalIndexError when a key is malformed or `after` is not below `before`.
 */
export function keyBetween(after: string | null, before: string | null): string {
  if (after !== null) {
    validateKey(after);
  }
  if (before !== null) {
    validateKey(before);
  }
  if (after !== null && before !== null && after >= before) {
    throw new FractionalIndexError(`${after} is not below ${before}`);
  }
  if (after === null) {
    if (before === null) {
      return INTEGER_ZERO;
    }
    const integer = integerPart(before);
    if (integer === SMALLEST_INTEGER) {
      return integer + midpoint('', before.slice(integer.length));
    }
    if (integer < before) {
      return integer;
    }
    const previous = decrementInteger(integer);
    if (previous === null) {
      throw new FractionalIndexError('no key fits before the smallest key');
    }
    return previous;
  }
  const integer = integerPart(after);
  const fraction = after.slice(integer.length);
  if (before === null) {
    return incrementInteger(integer) ?? integer + midpoint(fraction, null);
  }
  const beforeInteger = integerPart(before);
  if (integer === beforeInteger) {
    return integer + midpoint(fraction, before.slice(beforeInteger.length));
  }
  const next = incrementInteger(integer);
  if (next === null) {
    throw new FractionalIndexError('no key fits after the largest key');
  }
  return next < before ? next : integer + midpoint(fraction, null);
}
