import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { hashToken, newToken } from '../domain/bearer-token.js';
import { protectedRoleEntries, type AuditEntry } from './audit-log.service.js';
import type { Repositories } from './ports/repositories.port.js';

const BOOTSTRAP_ADMINISTRATOR = {
  email: 'admin@localhost',
  firstName: 'Bootstrap',
  lastName: 'Administrator',
  displayName: 'Bootstrap Administrator',
};

/**
 * Makes sure a first administrator can call the API. Its token comes from ADMIN_TOKEN; without it, a
 * token is generated once and written to DATA_DIR/admin-token (mode 0600): the log names the file,
 * never the token. The configured token is the only bootstrap token: when the configuration holds a
 * new one, the previous one is revoked (a rotation), and a token an admin revoked is never revived.
 */
export async function bootstrapAdmin(
  repos: Repositories,
  options: { adminToken?: string; dataDir: string; logger: Logger },
): Promise<void> {
  const token = options.adminToken ?? readOrCreateTokenFile(options.dataDir, options.logger);
  const source = options.adminToken ? 'ADMIN_TOKEN' : 'DATA_DIR/admin-token';
  const hash = hashToken(token);
  await repos.transaction(async (tx) => {
    const { id: userId, granted } = await tx.hrUsers.ensureAdministrator(BOOTSTRAP_ADMINISTRATOR, 'hr');
    const tokens = tx.apiTokens;
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
      await tokens.markBootstrap(existing.id);
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
    await tx.audit.record(entries);
  });
}

function readOrCreateTokenFile(dataDir: string, logger: Logger): string {
  const file = join(dataDir, 'admin-token');
  if (!existsSync(file)) {
    // DATA_DIR is the service's user's alone (README, Embedded database), also beside a DATABASE_URL.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${newToken().token}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    logger.info({ file }, 'generated a first administrator API token; read it from this file');
  }
  return readFileSync(file, 'utf8').trim();
}
