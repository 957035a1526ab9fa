/**
 * Iterates an async source while already fetching its next item, so a page is being read from
 * Graph while the previous one is written to the database. At most one item is buffered.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  while (true) {
    const current = await next;
    if (current.done) return;
    next = iterator.next();
    // Keep a rejection of the prefetch from going unhandled while the caller works on `current`.
    next.catch(() => undefined);
    yield current.value;
  }
}
