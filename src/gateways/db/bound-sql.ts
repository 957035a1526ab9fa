import type { EntityManager, Kysely } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';

/**
 * Runs one statement with its parameters bound ($1, $2, ... sent apart from the SQL text, PostgreSQL's
 * extended query protocol), inside the entity manager's transaction when it is in one.
 *
 * Why not `em.execute`: MikroORM writes every parameter into the SQL text before sending it. A sync
 * page carries about a megabyte of JSON; escaping it into the text and having PostgreSQL lex it back
 * cost as much as the write itself (measured: 96 ms against 64 ms for 1,000 run outcomes). The hot
 * statements of a sync page go through here; everything else keeps `em.execute`.
 */
export async function executeBound<T extends object = Record<string, unknown>>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
): Promise<T[]> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the connection's Kysely is untyped (no table schema)
  const runner: Kysely<any> = em.getTransactionContext<Kysely<any>>() ?? em.getConnection().getClient();
  const result = await runner.executeQuery<T>(CompiledQuery.raw(sql, [...params]));
  return result.rows;
}

/**
 * The `?` placeholders of a statement written for `em.execute`, numbered `$1`, `$2`, ... for
 * `executeBound`. The service writes no `?` in its SQL but as a placeholder (jsonb's `?` operator is
 * spelled jsonb_exists).
 */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
