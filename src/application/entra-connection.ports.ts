import type { ConnectionTestResult, GraphConnectionOptions, GraphFeatures } from '../gateways/graph/index.js';
import type { CalendarSource, SubscriptionSource } from '../sync/calendars/calendar-sync.ports.js';
import type { DirectoryReader } from '../sync/inbound/inbound-sync.ports.js';
import type { PictureSource } from '../sync/pictures/picture-sync.service.js';
import type { UserWriter } from '../sync/write-back/write-back.ports.js';

/** A group of the tenant, as an admin picks it for sync or for a role mapping. */
export interface TenantGroup {
  id: string;
  displayName?: string | null;
  description?: string | null;
}

export interface TenantGroupSearch {
  /** Words of the display name. */
  search?: string;
  /** Page size. */
  top?: number;
}

/** The tenant's groups (Microsoft Graph). */
export interface TenantGroups {
  listGroups(options?: TenantGroupSearch): AsyncIterable<TenantGroup[]>;
  /** The groups that exist among `ids`, in the order asked; unknown ids are left out. */
  getGroups(ids: readonly string[]): Promise<TenantGroup[]>;
  /**
   * How many users each group holds now, nested groups followed, by lower-case group id; a group
   * Graph does not count (gone, hidden membership) is left out.
   */
  userCounts(ids: readonly string[]): Promise<Map<string, number>>;
}

/** "Test connection" (rule 1.3): the credential, the granted permissions, read probes. */
export interface ConnectionTester {
  testConnection(
    features: GraphFeatures,
    syncedGroupIds: readonly string[],
    clientSecretExpiresAt?: Date,
  ): Promise<ConnectionTestResult>;
}

/** A sign-in started: the URL to send the browser to, and what its answer is checked against. */
export interface SignInStart {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The person an ID token names, once its signature and claims have been checked. */
export interface VerifiedSignIn {
  /** Entra object id (`oid`), lower case. */
  oid: string;
  tid: string;
  /** `email`, else `preferred_username` when it reads like an e-mail; mutable, never authoritative. */
  email: string | null;
  name: string | null;
}

export type SignInFailure = 'state-mismatch' | 'nonce-mismatch' | 'code-refused' | 'token-invalid' | 'unreachable';

/** Why a sign-in could not complete (the gateway's words; no token or secret). */
export class SignInError extends Error {
  override name = 'SignInError';
  constructor(
    readonly failure: SignInFailure,
    message: string,
  ) {
    super(message);
  }
}

/**
 * "Sign in with Microsoft": the OpenID Connect authorization code flow with PKCE for the app
 * registration of the connection (docs/graph.md §12).
 */
export interface EntraSignIn {
  start(redirectUri: string): Promise<SignInStart>;
  /** Redeems the code; throws SignInError. */
  complete(answer: {
    code: string;
    returnedState: string;
    redirectUri: string;
    expected: Omit<SignInStart, 'url'>;
  }): Promise<VerifiedSignIn>;
}

/** The gateways of one Entra connection; they share one Graph session (token, retry and concurrency budget). */
export interface EntraGateways {
  directory: DirectoryReader;
  groups: TenantGroups;
  pictures: PictureSource;
  tester: ConnectionTester;
  userWrites: UserWriter;
  calendars: CalendarSource;
  subscriptions: SubscriptionSource;
  signIn: EntraSignIn;
}

/** Opens the gateways of a connection; the composition root decides which classes serve them. */
export type OpenEntraGateways = (options: GraphConnectionOptions) => EntraGateways;
