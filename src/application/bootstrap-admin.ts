import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { ApiTokenRepository, hashToken, newToken } from '../gateways/db/api-token.repository.js';
import { AuditLogService, protectedRoleEntries, type AuditEntry } from './audit-log.service.js';

const BOOTSTRAP_EMAIL = 'admin@localhost';

/**
 * Makes sure a first administrator can call the API. Its token comes from ADMIN_TOKEN; without it, a
 * token is generated once and written to DATA_DIR/admin-token (mode 0600): the log names the file,
 * never the token. The configured token is the only bootstrap token: when the configuration holds a
 * new one, the previous one is revoked (a rotation), and a token an admin revoked is never revived.
 */
export async function bootstrapAdmin(
  em: EntityManager,
  options: { adminToken?: string; dataDir: string; logger: Logger },
): Promise<void> {
  const token = options.adminToken ?? readOrCreateTokenFile(options.dataDir, options.logger);
  const source = options.adminToken ? 'ADMIN_TOKEN' : 'DATA_DIR/admin-token';
  const hash = hashToken(token);
  await em.transactional(async (tx) => {
    const users = await tx.execute<{ id: string }[]>(
      `insert into hr_user (email, first_name, last_name, display_name, origin) values (?, 'Bootstrap', 'Administrator', 'Bootstrap Administrator', 'hr')
       on conflict ((lower(email))) do update set updated_at = hr_user.updated_at returning id`,
      [BOOTSTRAP_EMAIL],
    );
    const userId = users[0]!.id;
    const granted = await tx.execute<{ name: string }[]>(
      `with granted as (insert into user_role (hr_user_id, role_id, granted_by) select ?, id, 'hr' from role where name = 'Administrator' on conflict do nothing returning role_id)
       select r.name from granted g join role r on r.id = g.role_id`,
      [userId],
    );
    const tokens = new ApiTokenRepository(tx);
    const entries: AuditEntry[] = [...protectedRoleEntries(null, userId, granted, [])];
    const existing = await tokens.findByHash(hash);
    if (!existing) {
      const issued = await tokens.create({ hrUserId: userId, name: 'bootstrap', hash, bootstrap: true });
      entries.push({
        actorId: null,
        action: 'api-token.issue',
        target: `api-token:${issued.id}`,
        oldValue: null,
        newValue: { hrUserId: userId, email: issued.email, name: issued.name, bootstrap: true, source },
      });
    } else if (existing.revokedAt) {
      options.logger.warn(
        { variable: source, revokedReason: existing.revokedReason },
        'the configured administrator token was revoked and stays revoked; configure a new one',
      );
    } else if (!existing.bootstrap) {
      // An issued token copied into the configuration becomes the one a later rotation replaces.
      await tx.execute('update api_token set bootstrap = true where id = ?', [existing.id]);
    }
    // A revoked configured token rotates nothing: the working bootstrap token stays, so nobody is locked out.
    const rotated = existing?.revokedAt ? [] : await tokens.revokeOtherBootstrapTokens(hash);
    for (const revoked of rotated) {
      entries.push({
        actorId: null,
        action: 'api-token.revoke',
        target: `api-token:${revoked.id}`,
        oldValue: { status: 'active', name: revoked.name, bootstrap: true },
        newValue: { status: 'revoked', revokedReason: 'rotated', source },
      });
    }
    if (!existing) options.logger.info({ source, previousRevoked: rotated.length }, 'administrator token registered');
    await new AuditLogService(tx).record(entries);
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
