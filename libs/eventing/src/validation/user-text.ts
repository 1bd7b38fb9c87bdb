import { z } from 'zod';

/**
 * Characters that make text shown to people lie about itself: C0 and C1 controls (ANSI escape
 * sequences start with ESC, U+001B, or CSI, U+009B) rewrite a terminal or log line, and bidi
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder what is displayed.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const SINGLE_LINE_FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;
/** Multi-line text (descriptions, comments) keeps line feeds and tabs. */
// eslint-disable-next-line no-control-regex -- as above
const MULTI_LINE_FORBIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;

export const CONTROL_CHARACTERS_MESSAGE =
  'must not contain control characters or bidirectional overrides';

export const isSingleLineText = (value: string): boolean => !SINGLE_LINE_FORBIDDEN.test(value);
export const isMultiLineText = (value: string): boolean => !MULTI_LINE_FORBIDDEN.test(value);

/** A name, title, tag or other one-line text a person reads: no control or bidi characters. */
export const singleLineText = <S extends z.ZodType<string, string>>(schema: S): S =>
  schema.refine(isSingleLineText, CONTROL_CHARACTERS_MESSAGE);

/**
 * A description or comment: line feeds and tabs are kept, CR LF and lone CR become LF (clients
 * on some systems send them), any other control or bidi character is refused.
 */
export const multiLineText = (schema: z.ZodString) =>
  schema
    .overwrite((value) => value.replace(/\r\n?/g, '\n'))
    .refine(isMultiLineText, CONTROL_CHARACTERS_MESSAGE);
