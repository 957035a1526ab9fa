import type { InvitationRefusal, InvitationStatus } from '../domain/invitation.js';
import { AppError } from './app-error.js';
import { pageOf, type Page } from './page.js';
import type { InvitationView } from './ports/invitation.port.js';
import type { Repositories } from './ports/repositories.port.js';

/** A page's cursor: the last row's requestedAt and HR user id. */
const CURSOR = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)_([0-9a-f-]{36})$/;

/** Invitations as the admin sees and asks for them (docs/rules.md §8.4). */
export class InvitationsService {
  constructor(private readonly repos: Repositories) {}

  async list(query: {
    status?: InvitationStatus[];
    search?: string;
    after?: string;
    limit: number;
  }): Promise<Page<InvitationView>> {
    const after = query.after ? CURSOR.exec(query.after) : null;
    if (query.after && !after) throw new AppError('validation_failed', 'after is not a cursor this list gave');
    const rows = await this.repos.invitations.list({
      status: query.status,
      search: query.search,
      after: after ? { requestedAt: after[1]!, hrUserId: after[2]! } : undefined,
      limit: query.limit + 1,
    });
    return pageOf(rows, query.limit, (last) => `${last.requestedAt}_${last.hrUserId}`);
  }

  /**
   * Sends these HR users an invitation, or sends it again: refused as a whole while invitations are
   * off (the organisation has not launched); users who cannot be invited are named with the reason.
   */
  async request(
    hrUserIds: string[],
    actorId: string,
  ): Promise<{ requested: string[]; refused: Array<{ hrUserId: string; reason: InvitationRefusal }> }> {
    return this.repos.transaction(async (tx) => {
      if (!(await tx.settings.read()).invitations)
        throw new AppError(
          'conflict',
          'Invitations are off: switch them on in the settings (invitations) when your organisation is ready to launch',
        );
      const result = await tx.invitations.request([...new Set(hrUserIds)], actorId);
      if (result.requested.length > 0)
        await tx.audit.record(
          result.requested.map((hrUserId) => ({
            actorId,
            action: 'invitation.request',
            target: `hr-user:${hrUserId}`,
            oldValue: null,
            newValue: null,
          })),
        );
      return result;
    });
  }
}
