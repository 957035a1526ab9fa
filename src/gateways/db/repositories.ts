import type { EntityManager } from '@mikro-orm/postgresql';
import type { Repositories } from '../../application/ports/repositories.port.js';
import { PgApiTokenRepository } from './api-token.repository.js';
import { PgAuditLog } from './audit-log.repository.js';
import { PgCalendarRepository } from './calendar.repository.js';
import { PgCalendarEventRepository } from './calendar-event-views.repository.js';
import { PgCalendarFeedRepository } from './calendar-feed.repository.js';
import { PgCalendarSubscriptionRepository } from './calendar-subscription.repository.js';
import { PgConnectionRepository, PgSyncedGroupRepository } from './connection.repository.js';
import { DirectoryMirrorRepository } from './directory-mirror.repository.js';
import { PgEmployeeProfileRepository } from './employee-profile.repository.js';
import { PgExportReader } from './export.repository.js';
import { PgHrUserRepository } from './hr-user.repository.js';
import { PgHrUserViews } from './hr-user-views.repository.js';
import { PgRoleMappingRepository } from './role-mapping.repository.js';
import { PgReconciliationQueries } from './reconciliation.repository.js';
import { PgRoleRepository } from './role.repository.js';
import { PgScimGroupStore } from './scim-group.repository.js';
import { PgScimHistory } from './scim-history.repository.js';
import { PgScimUserReader } from './scim-user.repository.js';
import { PgSettingsRepository } from './settings.repository.js';
import { SyncRunRepository } from './sync-run.repository.js';
import { PgSyncRunViews } from './sync-run-views.repository.js';
import { PgWriteBackOutboxRepository } from './write-back-outbox.repository.js';
import { PgInvitationRepository } from './invitation.repository.js';
import { PgWebSessionRepository } from './web-session.repository.js';

/**
 * The PostgreSQL repositories over one EntityManager: a request's fork, a job's, or a transaction.
 * Repositories hold nothing but the EntityManager, so each is made when it is asked for.
 */
export function repositoriesFor(em: EntityManager): Repositories {
  return {
    get hrUsers() {
      return new PgHrUserRepository(em);
    },
    get hrUserViews() {
      return new PgHrUserViews(em);
    },
    get roles() {
      return new PgRoleRepository(em);
    },
    get roleMappings() {
      return new PgRoleMappingRepository(em);
    },
    get apiTokens() {
      return new PgApiTokenRepository(em);
    },
    get audit() {
      return new PgAuditLog(em);
    },
    get directory() {
      return new DirectoryMirrorRepository(em);
    },
    get syncedGroups() {
      return new PgSyncedGroupRepository(em);
    },
    get connection() {
      return new PgConnectionRepository(em);
    },
    get settings() {
      return new PgSettingsRepository(em);
    },
    get employeeProfiles() {
      return new PgEmployeeProfileRepository(em);
    },
    get exports() {
      return new PgExportReader(em);
    },
    get runs() {
      return new SyncRunRepository(em);
    },
    get runViews() {
      return new PgSyncRunViews(em);
    },
    get reconciliation() {
      return new PgReconciliationQueries(em);
    },
    get calendars() {
      return new PgCalendarRepository(em);
    },
    get scimUsers() {
      return new PgScimUserReader(em);
    },
    get scimGroups() {
      return new PgScimGroupStore(em);
    },
    get scimHistory() {
      return new PgScimHistory(em);
    },
    get events() {
      return new PgCalendarEventRepository(em);
    },
    get calendarFeeds() {
      return new PgCalendarFeedRepository(em);
    },
    get calendarSubscriptions() {
      return new PgCalendarSubscriptionRepository(em);
    },
    get writeBack() {
      return new PgWriteBackOutboxRepository(em);
    },
    get webSessions() {
      return new PgWebSessionRepository(em);
    },
    get invitations() {
      return new PgInvitationRepository(em);
    },
    transaction: (work) => em.transactional((tx) => work(repositoriesFor(tx))),
  };
}
