import { followsEntra } from '../domain/ownership.js';
import { AppError } from './app-error.js';
import { protectedRoleEntries } from './audit-log.service.js';
import { pageOf, type Page } from './page.js';
import type { HrUserSummary } from './ports/hr-user-views.port.js';
import type { Repositories } from './ports/repositories.port.js';

export type { HrUserSummary } from './ports/hr-user-views.port.js';

export interface NewHrUser {
  email: string;
  firstName: string;
  lastName: string;
  roles: string[];
}

export interface HrUserDetail extends HrUserSummary {
  hasEmployeeProfile: boolean;
  deactivatedReason: string | null;
  lastSyncedAt: string | null;
  customFields: Record<string, unknown>;
  fields: Record<
    string,
    { value: string | null; source: string | null; changedAt: string | null; readOnly: boolean; keptOnMatch: boolean }
  >;
}

/** HR users created and listed by HR admins (users created by the sync come from the inbound engine). */
export class HrUsersService {
  constructor(private readonly repos: Repositories) {}

  /** Audited as 'hr-user.create' with what was given, and 'user.admin-role.grant' when it holds an administrator role. */
  async create(input: NewHrUser, actorId: string): Promise<HrUserSummary> {
    return this.repos.transaction(async (tx) => {
      const roles = await tx.roles.findByNames(input.roles);
      const unknown = input.roles.filter((name) => !roles.some((r) => r.name === name));
      if (unknown.length)
        throw new AppError(
          'validation_failed',
          `Unknown role: ${unknown.join(', ')}`,
          unknown.map((name) => ({ path: 'body.roles', message: `unknown role ${name}` })),
        );
      const user = {
        email: input.email,
        firstName: input.firstName,
        lastName: input.lastName,
        displayName: `${input.firstName} ${input.lastName}`,
      };
      const id = await tx.hrUsers.create(user, 'hr');
      if (!id)
        throw new AppError(
          'conflict',
          `An HR user with the e-mail ${input.email} already exists (e-mails are compared case-insensitively)`,
        );
      await tx.hrUsers.changeRoles(id, { grant: roles.map((r) => r.id), revoke: [] }, 'hr');
      const created = (await tx.hrUserViews.summary(id))!;
      await tx.audit.record([
        {
          actorId,
          action: 'hr-user.create',
          target: `hr-user:${id}`,
          oldValue: null,
          newValue: {
            email: created.email,
            firstName: created.firstName,
            lastName: created.lastName,
            roles: created.roles,
            origin: 'hr',
          },
        },
        ...protectedRoleEntries(
          actorId,
          id,
          roles.filter((r) => r.protected),
          [],
        ),
      ]);
      return created;
    });
  }

  async get(id: string): Promise<HrUserSummary | null> {
    return this.repos.hrUserViews.summary(id);
  }

  /**
   * One HR user with every synced field: its value, which side wrote it last and when, and whether
   * HR shows it read-only because Entra owns it for this user (field ownership made visible, 8.5).
   */
  async detail(id: string): Promise<HrUserDetail | null> {
    const summary = await this.repos.hrUserViews.summary(id);
    if (!summary) return null;
    const row = (await this.repos.hrUserViews.detail(id))!;
    const linked = summary.entraId !== null;
    const fields = Object.fromEntries(
      Object.entries(row.fields).map(([field, value]) => [
        field,
        {
          value,
          source: row.sources[field]?.source ?? null,
          changedAt: row.sources[field]?.changedAt ?? null,
          readOnly: linked && followsEntra(field, row.hasEmployeeProfile, row.owners),
          // HR kept its value over Entra's at the e-mail match; it stays until Entra changes the field (2.8).
          keptOnMatch: Object.hasOwn(row.kept, field),
        },
      ]),
    );
    return {
      ...summary,
      hasEmployeeProfile: row.hasEmployeeProfile,
      deactivatedReason: row.deactivatedReason,
      lastSyncedAt: row.lastSyncedAt,
      customFields: row.customFields,
      fields,
    };
  }

  async picture(id: string): Promise<{ contentType: string; bytes: Buffer } | null> {
    return this.repos.hrUserViews.picture(id);
  }

  /** Keyset pagination by e-mail, so a page costs the same whatever its position. */
  async list(options: {
    after?: string;
    limit: number;
    active?: boolean;
    search?: string;
  }): Promise<Page<HrUserSummary>> {
    const rows = await this.repos.hrUserViews.list({ ...options, limit: options.limit + 1 });
    return pageOf(rows, options.limit, (user) => user.email.toLowerCase());
  }
}
