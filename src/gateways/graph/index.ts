/** Public surface of the Graph gateway: the facade, its options, its results and its one error. */
export { GraphGateway } from './graph.gateway.js';
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
export type { GraphManagerRef, GraphPhoto, ListUsersOptions, UpdateUserOptions } from './graph-users.gateway.js';
export type { GraphBatchRequest, GraphBatchItemResult } from './graph-batch.plan.js';
export type { ConnectionTestResult, ConnectionProbe } from './graph-connection.tester.js';
