import { ApiToken, AuditLog } from './api-token.entity.js';
import {
  CalendarFeed,
  CalendarMailbox,
  CalendarSubscription,
  CalendarRun,
  HrCalendar,
  HrEvent,
  HrEventHistory,
} from './calendar.entity.js';
import { EmployeeProfile } from './employee-profile.entity.js';
import { EntraGroup, EntraGroupMember, EntraUser, PendingDeactivation, SyncState } from './entra-mirror.entity.js';
import { HrUser, HrUserPicture } from './hr-user.entity.js';
import { Invitation } from './invitation.entity.js';
import { EntraConnection, IntegrationSettings } from './integration-settings.entity.js';
import { Role, UserRole } from './role.entity.js';
import { ScimGroup, ScimGroupMember } from './scim-group.entity.js';
import { SyncChannel } from './sync-channel.entity.js';
import { SyncRun, SyncRunOutcome } from './sync-run.entity.js';
import { GroupRoleMapping, SyncedGroup } from './synced-group.entity.js';
import { WriteBackChange } from './write-back-change.entity.js';
import { WebSession } from './web-session.entity.js';

export * from './api-token.entity.js';
export * from './calendar.entity.js';
export * from './employee-profile.entity.js';
export * from './entra-mirror.entity.js';
export * from './hr-user.entity.js';
export * from './integration-settings.entity.js';
export * from './invitation.entity.js';
export * from './role.entity.js';
export * from './scim-group.entity.js';
export * from './sync-channel.entity.js';
export * from './sync-run.entity.js';
export * from './synced-group.entity.js';
export * from './write-back-change.entity.js';
export * from './web-session.entity.js';

export const entities = [
  HrUser,
  Invitation,
  EmployeeProfile,
  Role,
  UserRole,
  IntegrationSettings,
  EntraConnection,
  SyncedGroup,
  GroupRoleMapping,
  SyncRun,
  SyncRunOutcome,
  SyncChannel,
  ApiToken,
  AuditLog,
  HrUserPicture,
  EntraUser,
  EntraGroup,
  EntraGroupMember,
  SyncState,
  PendingDeactivation,
  CalendarMailbox,
  CalendarFeed,
  CalendarSubscription,
  HrCalendar,
  CalendarRun,
  ScimGroup,
  ScimGroupMember,
  HrEvent,
  HrEventHistory,
  WriteBackChange,
  WebSession,
];
