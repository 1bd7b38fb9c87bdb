export type HighlightPart = { text: string; marked: boolean };

const OPEN = '<mark>';
const CLOSE = '</mark>';

/**
 * Splits a search fragment on its `<mark>…</mark>` tags into plain text parts. Everything else is
 * text as written (the fragment is not HTML-escaped), so it must be rendered as text, never as
 * markup. A stray or unclosed tag counts as a boundary and is dropped.
 */
export function splitHighlight(fragment: string): HighlightPart[] {
  const parts: HighlightPart[] = [];
  let marked = false;
  let rest = fragment;
  const push = (text: string) => {
    if (text === '') {
      return;
    }
    const last = parts.at(-1);
    if (last && last.marked === marked) {
      last.text += text;
    } else {
      parts.push({ text, marked });
    }
  };
  while (rest.length > 0) {
    const open = rest.indexOf(OPEN);
    const close = rest.indexOf(CLOSE);
    const next = [open, close].filter((index) => index >= 0);
    if (next.length === 0) {
      push(rest);
      break;
    }
    const at = Math.min(...next);
    push(rest.slice(0, at));
    if (at === open) {
      marked = true;
      rest = rest.slice(at + OPEN.length);
    } else {
      marked = false;
      rest = rest.slice(at + CLOSE.length);
    }
  }
  return parts;
}
