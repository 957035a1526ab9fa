/** The shapes of the service's answers that the pages read (described in full at /openapi.json). */
export interface SessionUser {
  id: string;
  email: string;
  displayName: string | null;
  roles: string[];
  isAdmin: boolean;
  signedInWith: 'entra' | 'local';
}

export interface SessionView {
  user: SessionUser | null;
  csrfToken: string | null;
  expiresAt: string | null;
  signInOptions: { microsoft: boolean; local: boolean };
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export type Counts = Record<'created' | 'updated' | 'deactivated' | 'reactivated' | 'skipped' | 'failed', number>;

export interface Run {
  id: string;
  trigger: string;
  mode: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  counts: Counts;
  progress: {
    stage: string;
    pages: number;
    processed: number;
    total: number | null;
    unchanged: number;
    notInScope: number;
  };
  error: string | null;
  pendingDeactivations: number;
}

export interface RunDetail extends Run {
  pending: Array<{ hrUserId: string; email: string; reason: string; stillDue: boolean; notDueReason: string | null }>;
}

export interface Outcome {
  id: number;
  hrUserId: string | null;
  entraId: string | null;
  email: string | null;
  outcome: string;
  changes: Array<{ field: string; old: unknown; new: unknown }>;
  reason: string | null;
}

export interface SyncStatus {
  connected: boolean;
  autoSync: boolean;
  interval: string;
  nextRunAt: string | null;
  activeRun: { id: string; status: string } | null;
  lastRun: Run | null;
  heldRuns: Array<Run & { stillDue: number }>;
}

export interface Settings {
  autoSync: boolean;
  syncInterval: string;
  fullReconciliationInterval: string;
  roleSync: boolean;
  guardThreshold: number;
  warnings: Array<{ setting: string; code: string; message: string }>;
}

export interface Group {
  id: string;
  displayName: string | null;
  description?: string | null;
  memberCount: number | null;
}

export interface Role {
  id: string;
  name: string;
  protected: boolean;
  holders: number;
  mappedGroups: Array<{ mappingId: string; groupId: string; groupDisplayName: string }>;
}

export interface RoleMapping {
  id: string;
  groupId: string;
  groupDisplayName: string;
  roleId: string;
  roleName: string;
}

export interface Connection {
  connected: boolean;
  source: 'configuration' | 'admin' | 'demo' | null;
  tenantId: string | null;
  clientId: string | null;
  credentialKind: 'secret' | 'certificate' | null;
  clientSecretExpiresAt: string | null;
  secretExpiryWarning: string | null;
  lastTestedAt: string | null;
}

export interface ConnectionTest {
  ok: boolean;
  missingPermissions: string[];
  grantedPermissions: string[];
  requiredPermissions: string[];
  probes: Array<{ name: string; permission: string; ok: boolean; skipped?: boolean; status?: number; code?: string }>;
  credentialError?: { failure: string; code: string; message: string };
  problems: string[];
  warnings: string[];
  testedAt: string;
}

export interface HrUserSummary {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  active: boolean;
  origin: string;
  entraId: string | null;
  roles: string[];
}

export interface FieldView {
  value: string | null;
  source: string | null;
  changedAt: string | null;
  readOnly: boolean;
}

export interface HrUserDetail extends HrUserSummary {
  hasEmployeeProfile: boolean;
  deactivatedReason: string | null;
  lastSyncedAt: string | null;
  fields: Record<string, FieldView>;
}

export interface FieldOwnership {
  field: string;
  label: string;
  owner: string;
  meaning: string;
}

export interface EmployeeProfile {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  resignationDate: string | null;
  employmentStatus: string;
  hrUser: { id: string; email: string; active: boolean } | null;
  [field: string]: unknown;
}

export interface IssuedToken extends ApiToken {
  token: string;
}

export interface ApiToken {
  id: string;
  hrUserId: string;
  email: string;
  name: string;
  scope: 'api' | 'scim';
  bootstrap: boolean;
  status: 'active' | 'expired' | 'revoked';
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
}

export interface FullSettings extends Settings {
  writeBackUpdate: boolean;
  writeBackCreate: boolean;
  writeBackDelete: boolean;
  writeBackFields: string[];
  calendarSync: boolean;
  invitations: boolean;
  userSource: 'pull' | 'push' | 'both';
  changed?: string[];
}

export interface FieldOwnershipRow {
  field: string;
  label: string;
  owner: 'entra' | 'hr' | 'entra-until-profile';
  configurable: boolean;
  readOnlyInHr: { withoutEmployeeProfile: boolean; withEmployeeProfile: boolean };
  writtenBackToEntra: boolean;
  meaning: string;
}

export interface Calendar {
  id: string;
  name: string;
  isDefault: boolean;
  enabled: boolean;
  kind: 'own' | 'shared';
  owner: { name: string | null; address: string | null };
}

export interface MyCalendars {
  syncEnabled: boolean;
  showPrivateDetails: boolean;
  calendars: Calendar[];
}

export interface CalendarEvent {
  id: string;
  calendarId: string | null;
  calendarName: string | null;
  origin: 'outlook' | 'hr';
  kind: string;
  subject: string;
  location: string;
  start: string;
  end: string;
  isAllDay: boolean;
  startDate: string | null;
  endDate: string | null;
  showAs: string;
  isPrivate: boolean;
  isCancelled: boolean;
  organizer: { name: string; address: string } | null;
  push: { state: 'synced' | 'pending' | 'failed'; error: string | null } | null;
}

/** GET /api/admin/invitations (docs/rules.md §8.4). */
export interface Invitation {
  hrUserId: string;
  email: string;
  displayName: string | null;
  status: 'pending' | 'sent' | 'failed';
  requestedAt: string;
  requestedBy: string | null;
  sentAt: string | null;
  sendCount: number;
  lastError: string | null;
  signedInAt: string | null;
}

export interface InvitationRequestAnswer {
  requested: string[];
  refused: Array<{ hrUserId: string; reason: 'not-found' | 'inactive' }>;
}

/** GET /api/admin/write-back/changes (docs/rules.md §4). */
export interface WriteBackChange {
  id: string;
  action: 'update' | 'create' | 'delete';
  hrUserId: string | null;
  entraId: string | null;
  email: string | null;
  fields: string[];
  status: 'pending' | 'sent' | 'skipped' | 'failed' | 'cancelled' | 'discarded';
  attempts: number;
  reason: string | null;
  errorCode: string | null;
  errorStatus: number | null;
  createdAt: string;
  notBefore: string;
  settledAt: string | null;
}
