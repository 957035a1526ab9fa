/**
 * A LIKE/ILIKE pattern that finds `text` anywhere, matching its characters literally: `%`, `_`
 * and the escape character itself are escaped with a backslash, so a search for "50%" or "a_b"
 * does not turn into a wildcard. Use with `like ? escape '\'`
 * (https://www.postgresql.org/docs/current/functions-matching.html#FUNCTIONS-LIKE).
 */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** The ESCAPE clause that goes with the patterns above. */
export const LIKE_ESCAPE = `escape '\\'`;
