import type pg from 'pg';

/**
 * Ends a pool once its connections have closed. pg-pool's end() resolves as soon as it has asked each
 * connection to end, so a database stopped right after (the embedded one at shutdown, a test's
 * dropped database) terminates the ones still closing, and the pool reports each as an error.
 */
export async function endPool(pool: pg.Pool): Promise<void> {
  const closing = pool.totalCount;
  let removed = 0;
  const closed = new Promise<void>((resolve) => {
    if (closing === 0) resolve();
    pool.on('remove', () => {
      removed += 1;
      if (removed >= closing) resolve();
    });
  });
  await pool.end();
  await closed;
}
