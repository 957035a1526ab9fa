import type { ApiTokenRepository } from './api-token.port.js';
import type { AuditLog } from './audit-log.port.js';
import type { CalendarRepository } from './calendar.port.js';
import type { CalendarEventRepository } from './calendar-event.port.js';
import type { CalendarFeedRepository } from './calendar-feed.port.js';
import type { CalendarSubscriptionRepository } from './calendar-subscription.port.js';
import type { ConnectionRepository, SyncedGroupRepository } from './connection.port.js';
import type { EmployeeProfileRepository } from './employee-profile.port.js';
import type { ExportReader } from './export.port.js';
import type { DirectoryChanges, HrUserRepository } from './hr-user.port.js';
import type { HrUserViews } from './hr-user-views.port.js';
import type { InvitationRepository } from './invitation.port.js';
import type { RoleMappingRepository, RoleRepository } from './role.port.js';
import type { ScimGroupStore, ScimHistory, ScimUserReader } from './scim.port.js';
import type { SettingsRepository } from './settings.port.js';
import type { ReconciliationQueries, SyncRunRepository, SyncRunViews } from './sync-run.port.js';
import type { WriteBackOutboxRepository } from './write-back.port.js';
import type { WebSessionRepository } from './web-session.port.js';

/**
 * Every repository the application services use, over one database session: a request's (or a
 * job's) own forked EntityManager, or a transaction. The composition root makes one bundle per
 * request; services never construct repositories themselves.
 */
export interface Repositories {
  hrUsers: HrUserRepository;
  hrUserViews: HrUserViews;
  roles: RoleRepository;
  roleMappings: RoleMappingRepository;
  apiTokens: ApiTokenRepository;
  audit: AuditLog;
  directory: DirectoryChanges;
  syncedGroups: SyncedGroupRepository;
  connection: ConnectionRepository;
  settings: SettingsRepository;
  employeeProfiles: EmployeeProfileRepository;
  exports: ExportReader;
  runs: SyncRunRepository;
  runViews: SyncRunViews;
  reconciliation: ReconciliationQueries;
  calendars: CalendarRepository;
  /** SCIM's reads of HR users (their writes are hrUsers'). */
  scimUsers: ScimUserReader;
  scimGroups: ScimGroupStore;
  scimHistory: ScimHistory;
  events: CalendarEventRepository;
  calendarFeeds: CalendarFeedRepository;
  calendarSubscriptions: CalendarSubscriptionRepository;
  writeBack: WriteBackOutboxRepository;
  webSessions: WebSessionRepository;
  invitations: InvitationRepository;
  /**
   * Runs `work` in one transaction: the repositories it is given share it, and it commits when
   * `work` resolves and rolls back when it throws.
   */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
}
