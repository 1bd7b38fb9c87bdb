/**
 * API error text rewritten for people: the API names fields by their path in the request
 * (`data.title`, `input.tags.0`) and passes on the validator's wording; a person reads the field's
 * name ("Title", "Tag 1") and a plain sentence.
 */

/** Segments that only say where in the request a field sat, not what it is. */
const WRAPPERS = new Set(['input', 'data', 'variables', '$input']);

const wordsOf = (segment: string) =>
  segment
    .replace(/^\$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .replace(/\bids?$/, (id) => id.toUpperCase());

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** "data.title" → "Title", "input.tags.0" → "Tag 1", "input.budget.limitUsd" → "Budget limit usd". */
export function fieldLabel(path: string): string {
  const segments = path.split('.').filter((segment) => segment !== '');
  while (segments.length > 1 && WRAPPERS.has(segments[0]!)) {
    segments.shift();
  }
  const words: string[] = [];
  for (const segment of segments) {
    if (/^\d+$/.test(segment) && words.length > 0) {
      // The n-th of a list: "tags.0" is the first tag.
      const list = words.pop()!;
      words.push(`${list.replace(/s$/, '')} ${Number(segment) + 1}`);
    } else {
      words.push(wordsOf(segment));
    }
  }
  return capitalized(words.join(' ') || 'Input');
}

const REWORDINGS: [RegExp, (...groups: string[]) => string][] = [
  [/^Too small: expected string to have >=1 characters?$/, () => 'must not be empty'],
  [
    /^Too small: expected string to have >=(\d+) characters?$/,
    (n) => `needs at least ${n} characters`,
  ],
  [
    /^Too big: expected string to have <=(\d+) characters?$/,
    (n) => `can have at most ${n} characters`,
  ],
  [/^Too small: expected array to have >=(\d+) items?$/, (n) => `needs at least ${n}`],
  [/^Too big: expected array to have <=(\d+) items?$/, (n) => `can have at most ${n}`],
  [/^Too small: expected number to be >=?(-?[\d.]+)$/, (n) => `must be at least ${n}`],
  [/^Too big: expected number to be <=?(-?[\d.]+)$/, (n) => `must be at most ${n}`],
  [/^Invalid option: expected one of .*$/, () => 'is not one of the choices'],
  [/^Invalid UUID$/i, () => 'is not a valid ID'],
  [/^Required$|^Invalid input: expected \w+, received undefined$/, () => 'is required'],
];

/** A validator's sentence about a field, in plain words where it has a known form. */
export function fieldMessage(message: string): string {
  const text = message.trim();
  for (const [pattern, reword] of REWORDINGS) {
    const match = pattern.exec(text);
    if (match) {
      return reword(...match.slice(1));
    }
  }
  return text;
}

// "data.title: must not be empty", "input.title must be …" (a path, then what is wrong with it).
const PATH = String.raw`\$?[A-Za-z_][\w$]*(?:\.[\w$]+)+|\$?[A-Za-z_][\w$]*`;
const FIELD_PROBLEM = new RegExp(String.raw`^(${PATH})(?::\s*|\s+)(.+)$`, 's');
// graphql-js on a bad variable: Variable "$input" got invalid value 5 at "input.title"; …
const BAD_VARIABLE = /^Variable "\$[\w]+" got invalid value .*? at "([^"]+)"; (.+)$/s;

/**
 * A whole API message with raw field paths replaced by the fields' names. Parts separated by
 * "; " are rewritten one by one; a part that names no field path is left as it is.
 */
export function messageForPeople(message: string): string {
  const variable = BAD_VARIABLE.exec(message);
  if (variable) {
    return `${fieldLabel(variable[1]!)}: ${variable[2]!.trim()}`;
  }
  return message
    .split('; ')
    .map((part) => {
      const problem = FIELD_PROBLEM.exec(part);
      // Only a dotted path, or a part written "field: message", is a field: "Mission not found"
      // is a sentence.
      if (!problem || (!problem[1]!.includes('.') && !part.startsWith(`${problem[1]}:`))) {
        return part;
      }
      return `${fieldLabel(problem[1]!)}: ${fieldMessage(problem[2]!)}`;
    })
    .join('; ');
}
