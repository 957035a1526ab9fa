/**
 * Shapes of the control API (not part of Graph), shared by the in-process handle, the HTTP routes
 * and EmulatorControlClient.
 */
import type { MemberType } from '../store/store-types.js';

/** Which requests a fault or latency rule applies to. */
export interface RequestMatch {
  /** HTTP method, any when absent. */
  method?: string;
  /** Path prefix after the version segment, e.g. `/users` or `/groups/{id}/members`; any when absent. */
  path?: string;
  /** Regular expression tested against the same path; used instead of `path` when given. */
  pathRegex?: string;
}

export type FaultKind = 'throttle' | 'unavailable' | 'drop';

export interface FaultRule extends RequestMatch {
  kind: FaultKind;
  /** How many matching requests get the fault; the rule disappears afterwards. */
  count: number;
  /** Retry-After in seconds (fractions allowed) for throttle and unavailable. */
  retryAfterSeconds?: number;
}

export interface LatencyRule extends RequestMatch {
  ms: number;
}

export interface SettingsPatch {
  deltaExpiredMode?: '400' | '410';
  onPremMasteredProperties?: string[];
  syncedManagerWritable?: boolean;
}

export interface StatsSnapshot {
  /** Graph requests, $batch items included (token and control calls are not counted). */
  total: number;
  /** Same as total; the name the benchmark reads. */
  requests: number;
  /** Requests as sent over HTTP: a `$batch` counts once, its items not. */
  httpRequests: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  throttled: number;
  /** 95th percentile time to serve one `GET /users` page (parse, build, serialise), in ms. */
  servePageP95Ms: number;
  p95MsByRoute: Record<string, number>;
}

export interface TenantSummary {
  tenantId: string;
  domains: string[];
  users: number;
  deletedUsers: number;
  groups: { id: string; displayName: string; members: number }[];
  changeSeq: number;
}

export interface DirectoryObjectInput {
  type: Exclude<MemberType, 'user' | 'group'>;
  displayName: string;
  id?: string;
}

export interface ControlUser {
  id: string;
  props: Record<string, unknown>;
  managerId: string | null;
  hasPhoto: boolean;
  deleted: boolean;
}

export interface ResetInput {
  users: number;
  seed?: number;
}
