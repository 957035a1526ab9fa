import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { hashToken, newToken } from '../gateways/db/api-token.repository.js';

const BOOTSTRAP_EMAIL = 'admin@localhost';

/**
 * Makes sure a first administrator can call the API. Its token comes from ADMIN_TOKEN; without it, a
 * token is generated once and written to DATA_DIR/admin-token (mode 0600): the log names the file,
 * never the token.
 */
export async function bootstrapAdmin(em: EntityManager, options: { adminToken?: string; dataDir: string; logger: Logger }): Promise<void> {
  const token = options.adminToken ?? readOrCreateTokenFile(options.dataDir, options.logger);
  await em.transactional(async (tx) => {
    const users = await tx.execute<{ id: string }[]>(
      `insert into hr_user (email, first_name, last_name, display_name, origin) values (?, 'Bootstrap', 'Administrator', 'Bootstrap Administrator', 'hr')
       on conflict ((lower(email))) do update set updated_at = hr_user.updated_at returning id`,
      [BOOTSTRAP_EMAIL],
    );
    const userId = users[0]!.id;
    await tx.execute(
      `insert into user_role (hr_user_id, role_id, granted_by) select ?, id, 'hr' from role where name = 'Administrator' on conflict do nothing`,
      [userId],
    );
    await tx.execute(
      `insert into api_token (token_hash, hr_user_id, name) values (?, ?, 'bootstrap') on conflict (token_hash) do nothing`,
      [hashToken(token), userId],
    );
  });
}

function readOrCreateTokenFile(dataDir: string, logger: Logger): string {
  const file = join(dataDir, 'admin-token');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${newToken().token}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    logger.info({ file }, 'generated a first administrator API token; read it from this file');
  }
  return readFileSync(file, 'utf8').trim();
}
