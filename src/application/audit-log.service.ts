import type { AuditEntry, AuditLog, AuditQuery, AuditRecord } from './ports/audit-log.port.js';
import { pageOf, type Page } from './page.js';

export type { AuditEntry, AuditQuery, AuditRecord } from './ports/audit-log.port.js';

/**
 * The audit log as the admin reads it. Entries are written by each change itself, through the
 * AuditLog port of its transaction, so a rolled-back change leaves no audit row.
 */
export class AuditLogService {
  constructor(private readonly log: AuditLog) {}

  /** Newest first, paged by id so a page costs the same wherever it is. */
  async list(query: AuditQuery): Promise<Page<AuditRecord>> {
    return pageOf(await this.log.list({ ...query, limit: query.limit + 1 }), query.limit, (row) => row.id);
  }
}

/**
 * Giving or taking an administrator (protected) role is recorded on its own, besides the change
 * of the user's roles, so that it can be found with ?action=user.admin-role.grant|revoke.
 */
export function protectedRoleEntries(
  actorId: string | null,
  hrUserId: string,
  granted: ReadonlyArray<{ name: string }>,
  revoked: ReadonlyArray<{ name: string }>,
): AuditEntry[] {
  const entry = (action: string, role: string, held: boolean): AuditEntry => ({
    actorId,
    action,
    target: `hr-user:${hrUserId}`,
    oldValue: { role, held: !held },
    newValue: { role, held },
  });
  return [
    ...granted.map((r) => entry('user.admin-role.grant', r.name, true)),
    ...revoked.map((r) => entry('user.admin-role.revoke', r.name, false)),
  ];
}
