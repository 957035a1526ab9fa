import type { ConnectionTester } from '../../application/entra-connection.ports.js';
import {
  isGraphGatewayError,
  type AuthFailure,
  type GraphErrorKind,
  type GraphGatewayError,
} from './graph-gateway.error.js';
import { missingPermissions, requiredPermissions, type GraphFeatures } from './graph-permissions.js';
import type { GraphRequestExecutor } from './graph-request.executor.js';
import { readAccessTokenClaims } from './graph-token.claims.js';
import type { GraphTokenProvider } from './graph-token.provider.js';
import type { GraphSession } from './graph.session.js';

export interface ConnectionProbe {
  name: 'list-users' | 'list-groups' | 'list-group-members';
  url: string;
  permission: string;
  ok: boolean;
  /** No synced group to probe yet. */
  skipped?: boolean;
  status?: number;
  code?: string;
  message?: string;
}

export interface ConnectionTestResult {
  ok: boolean;
  credentials: { ok: true } | { ok: false; failure: AuthFailure; code: string; message: string };
  grantedPermissions: string[];
  requiredPermissions: string[];
  missingPermissions: string[];
  probes: ConnectionProbe[];
  /** One sentence per problem, for the admin screen. */
  problems: string[];
  warnings: string[];
}

const SECRET_WARNING_DAYS = 30;
/**
 * Probe failures the admin can act on (a permission, a deleted group, a refused token): reported.
 * Any other (Graph busy or unreachable) means the test could not be made, and is raised.
 */
const PROBE_FINDINGS: ReadonlySet<GraphErrorKind> = new Set(['permission-missing', 'not-found', 'auth-failed']);
const DAY_MS = 86_400_000;

/**
 * "Test connection" for the admin screen (rule 1.3 in docs/rules.md): a new token (never the cached
 * one: roles granted a minute ago only show in a new token), its `roles` compared with what the
 * enabled features need, and three read probes. Writes are judged from the roles only; we never
 * probe with a real write.
 */
export class GraphConnectionTester implements ConnectionTester {
  private readonly tokens: GraphTokenProvider;
  private readonly executor: GraphRequestExecutor;
  private readonly now: () => number;

  constructor(session: GraphSession) {
    this.tokens = session.tokens;
    this.executor = session.executor;
    this.now = session.now;
  }

  async testConnection(
    features: GraphFeatures,
    syncedGroupIds: readonly string[],
    clientSecretExpiresAt?: Date,
  ): Promise<ConnectionTestResult> {
    const required = requiredPermissions(features);
    const warnings = secretWarnings(clientSecretExpiresAt, this.now());
    let roles: string[];
    try {
      roles = readAccessTokenClaims((await this.tokens.getToken({ skipCache: true })).token).roles;
    } catch (error) {
      // A credential Entra refuses is the test's verdict; an authority that is down is no verdict (502 at the edge).
      if (!isGraphGatewayError(error) || error.kind !== 'auth-failed') throw error;
      const failure = error.authFailure ?? 'unknown';
      const credentials = {
        ok: false as const,
        failure,
        code: error.code,
        message: describeAuthFailure(failure, error),
      };
      const base = { grantedPermissions: [], requiredPermissions: required, missingPermissions: [], probes: [] };
      return { ok: false, credentials, ...base, problems: [credentials.message], warnings };
    }
    const missing = missingPermissions(roles, required);
    const probes = await this.runProbes(syncedGroupIds[0]);
    const problems = [
      ...missing.map(
        (permission) => `The app lacks the application permission ${permission} (grant it and give admin consent).`,
      ),
      ...probes.filter((probe) => !probe.ok).map(describeProbeFailure),
    ];
    return {
      ok: problems.length === 0,
      credentials: { ok: true },
      grantedPermissions: [...roles].sort(),
      requiredPermissions: required,
      missingPermissions: missing,
      probes,
      problems,
      warnings,
    };
  }

  private async runProbes(firstGroupId: string | undefined): Promise<ConnectionProbe[]> {
    const probes: Omit<ConnectionProbe, 'ok'>[] = [
      { name: 'list-users', url: '/users?$top=1&$select=id', permission: 'User.Read.All' },
      { name: 'list-groups', url: '/groups?$top=1&$select=id', permission: 'Group.Read.All' },
    ];
    const membersUrl = firstGroupId && `/groups/${encodeURIComponent(firstGroupId)}/members?$top=1&$select=id`;
    const results = await Promise.all(probes.map((probe) => this.probe(probe)));
    if (membersUrl) {
      results.push(
        await this.probe({ name: 'list-group-members', url: membersUrl, permission: 'GroupMember.Read.All' }),
      );
    } else {
      results.push({
        name: 'list-group-members',
        url: '',
        permission: 'GroupMember.Read.All',
        ok: true,
        skipped: true,
      });
    }
    return results;
  }

  private async probe(probe: Omit<ConnectionProbe, 'ok'>): Promise<ConnectionProbe> {
    try {
      await this.executor.get(probe.url);
      return { ...probe, ok: true };
    } catch (error) {
      if (!isGraphGatewayError(error) || !PROBE_FINDINGS.has(error.kind)) throw error;
      return { ...probe, ok: false, status: error.status, code: error.code, message: error.graphMessage };
    }
  }
}

function describeProbeFailure(probe: ConnectionProbe): string {
  const what = `GET ${probe.url.split('?')[0]}`;
  if (probe.status === 403) return `${what} was refused (${probe.code}): the app needs ${probe.permission}.`;
  if (probe.status === 404 && probe.name === 'list-group-members')
    return `${what} failed: the synced group no longer exists (${probe.code}).`;
  return `${what} failed with ${probe.status ?? 'no answer'} ${probe.code ?? ''}: ${probe.message ?? ''}`.trim();
}

/** Plain words for the admin; the AADSTS code in brackets for support. Never the secret itself. */
export function describeAuthFailure(
  failure: AuthFailure,
  error: Pick<GraphGatewayError, 'code' | 'graphMessage'>,
): string {
  const code = error.code;
  switch (failure) {
    case 'secret-invalid':
      return `The client secret is wrong (${code}). Enter the secret's value, not its ID.`;
    case 'secret-expired':
      return `The client secret has expired (${code}). Create a new secret in the app registration.`;
    case 'credential-missing':
      return `No client secret or certificate was sent (${code}).`;
    case 'certificate-invalid':
      return `The certificate was not accepted (${code}). Check that it is uploaded to the app registration.`;
    case 'client-not-found':
      return `No application with this client ID exists in the tenant (${code}). Check the client ID and tenant ID.`;
    case 'tenant-not-found':
      return `The tenant was not found (${code}). Check the tenant ID.`;
    case 'authority-unreachable':
      return `The sign-in endpoint for this tenant could not be resolved (${code}). Check the tenant ID and the network.`;
    case 'token-rejected':
      return `Microsoft Graph refused the access token (${code}).`;
    case 'unknown':
      return `Sign-in failed (${code}): ${error.graphMessage}`;
  }
}

function secretWarnings(expiresAt: Date | undefined, nowMs: number): string[] {
  if (!expiresAt) return [];
  const left = expiresAt.getTime() - nowMs;
  const day = expiresAt.toISOString().slice(0, 10);
  if (left <= 0) return [`The client secret expired on ${day}.`];
  if (left <= SECRET_WARNING_DAYS * DAY_MS) {
    return [
      `The client secret expires on ${day}, in ${Math.ceil(left / DAY_MS)} day(s). Create a new one before then.`,
    ];
  }
  return [];
}
