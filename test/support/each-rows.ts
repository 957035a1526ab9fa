/** Jest 29's `it.each` takes mutable rows; `as const` tables are readonly. Same literal types, mutable. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly unknown[] ? Mutable<T[K]> : T[K] };

export function rows<const T extends readonly (readonly unknown[])[]>(table: T): Mutable<T> {
  return table as unknown as Mutable<T>;
}
