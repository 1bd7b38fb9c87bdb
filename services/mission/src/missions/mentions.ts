// `@name` not preceded by a word character or @, so e-mail addresses are not mentions.
const MENTION = /(?<![\w@])@([a-z0-9](?:[a-z0-9_.-]*[a-z0-9_])?)/gi;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every `@name` in a markdown body, lower case, once each, in order of first appearance. */
export function parseMentions(body: string): string[] {
  const names = new Set<string>();
  for (const match of body.matchAll(MENTION)) {
    names.add(match[1]!.toLowerCase());
  }
  return [...names];
}

/** The mentions written as ids (`@<uuid>`): the ones known to be ids without a directory. */
export const mentionedIds = (names: readonly string[]): string[] =>
  names.filter((name) => UUID.test(name));
