/**
 * Public surface of the Graph gateways. One GraphSession per Entra connection (token, SDK client,
 * retry middleware, concurrency budget) is shared by a gateway per resource:
 * - GraphDirectoryGateway: users and groups delta, one user (the inbound engine's DirectoryReader)
 * - GraphUsersGateway: user list, one user, manager, profile photo (the picture sync's PictureSource)
 * - GraphGroupsGateway: groups and their members (the admin's TenantGroups)
 * - GraphUserWritesGateway: create, update, delete users, managers, `$batch` (write-back's UserWriter)
 * - GraphConnectionTester: "test connection" (the admin's ConnectionTester)
 * - GraphCalendarsGateway: a mailbox's calendars and events (the calendar sync's CalendarSource)
 * - GraphSubscriptionsGateway: subscriptions to mailboxes' events (the calendar sync's SubscriptionSource)
 * Only the composition root (src/service.ts) constructs them; the application and sync layers see ports.
 */
export { GraphSession } from './graph.session.js';
export { GraphDirectoryGateway } from './graph-directory.gateway.js';
export { GraphUsersGateway } from './graph-users.gateway.js';
export { GraphGroupsGateway } from './graph-groups.gateway.js';
export { GraphUserWritesGateway } from './graph-user-writes.gateway.js';
export { GraphConnectionTester } from './graph-connection.tester.js';
export { GraphCalendarsGateway } from './graph-calendars.gateway.js';
export { GraphSubscriptionsGateway } from './graph-subscriptions.gateway.js';
export { EntraSignInGateway } from './entra-sign-in.gateway.js';
export type { GraphConnectionOptions, GraphCredential, GraphHostField } from './graph-connection.options.js';
export {
  DEFAULT_AUTHORITY_HOST,
  DEFAULT_GRAPH_BASE_URL,
  MICROSOFT_CLOUD_HOSTS,
  hostsNotAllowed,
} from './graph-connection.options.js';
export { GraphGatewayError, isGraphGatewayError } from './graph-gateway.error.js';
export { withGraphCallScope, type GraphCallScope } from './graph-call-scope.js';
export type { AuthFailure, GraphErrorKind, GraphRoute } from './graph-gateway.error.js';
export type { GraphFeatures } from './graph-permissions.js';
export { requiredPermissions, missingPermissions, isPermissionSatisfied } from './graph-permissions.js';
export type { GraphGroupSummary, ListGroupsOptions } from './graph-groups.gateway.js';
export type { GraphUserRecord } from './graph-user.record.js';
export type { DeltaUser, UsersDeltaPage, GroupsDeltaPage, GroupsDeltaOptions } from './graph-delta.reader.js';
export type { DeltaGroup, DeltaGroupMember, DeltaMemberType, DeltaRemoval } from './graph-delta.merge.js';
export type { GraphManagerRef, GraphPhoto, ListUsersOptions } from './graph-users.gateway.js';
export type { UpdateUserOptions } from './graph-user-writes.gateway.js';
export type { GraphBatchRequest, GraphBatchItemResult } from './graph-batch.plan.js';
export type { ConnectionTestResult, ConnectionProbe } from './graph-connection.tester.js';
