import { remove as removeConfusables } from 'confusables';

/**
 * When two role names read the same to a person. Compared are skeletons: Unicode NFKC (full-width
 * and compatibility forms fold to their plain letters), without default-ignorable code points
 * (soft hyphen, zero-width joiners, variation selectors: they render as nothing), with letters
 * that look Latin mapped to the Latin letter (Cyrillic А, Greek Ο, ...), in lower case, and with
 * the few ASCII look-alikes of Unicode's confusables list (UTS #39, https://www.unicode.org/reports/tr39/#Confusable_Detection)
 * that the `confusables` package leaves: rn/m, vv/w, cl/d, 0/o, 1/I/l.
 */
export function roleNameSkeleton(name: string): string {
  const visible = name.normalize('NFKC').replace(/\p{Default_Ignorable_Code_Point}/gu, '');
  const latin = removeConfusables(visible).normalize('NFKC').toLowerCase();
  return latin
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w')
    .replace(/cl/g, 'd')
    .replace(/0/g, 'o')
    .replace(/[1i|]/g, 'l');
}

/** The protected role `name` would pass for, or null; its own name (a protected role kept as it is) is not a look-alike. */
export function protectedLookAlike(name: string, protectedNames: readonly string[]): string | null {
  const skeleton = roleNameSkeleton(name);
  return protectedNames.find((p) => p !== name && roleNameSkeleton(p) === skeleton) ?? null;
}
