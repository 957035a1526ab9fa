import type { GraphCredential } from '../gateways/graph/index.js';

/**
 * What an admin's change of the Entra connection changes: where the secret goes (ids and hosts),
 * whether the secret itself is new, and the audit row that says so without the secret.
 */

/** The fields that name where the secret (or a token) is sent: changing one needs the secret again. */
export const ADDRESS_FIELDS = ['tenantId', 'clientId', 'authorityHost', 'graphBaseUrl'] as const;

export interface ConnectionState {
  tenantId: string;
  clientId: string;
  authorityHost: string;
  graphBaseUrl: string;
  credentialKind: 'secret' | 'certificate';
  clientSecretExpiresAt: string | null;
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Tenant and client ids are compared case-insensitively, as Entra does; hosts as URLs. */
export function sameAddress(field: (typeof ADDRESS_FIELDS)[number], a: string, b: string): boolean {
  return field === 'tenantId' || field === 'clientId' ? a.toLowerCase() === b.toLowerCase() : sameUrl(a, b);
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

export function sameSecret(a: GraphCredential, b: GraphCredential): boolean {
  if (a.kind === 'secret' && b.kind === 'secret') return a.clientSecret === b.clientSecret;
  if (a.kind === 'certificate' && b.kind === 'certificate')
    return a.thumbprintSha256.toLowerCase() === b.thumbprintSha256.toLowerCase() && a.privateKeyPem === b.privateKeyPem;
  return false;
}

/**
 * The audit row of a set: the fields that changed, before and after. The credential appears only
 * as its kind and whether it was replaced, never its value.
 */
export function describeChange(
  before: ConnectionState | null,
  after: ConnectionState,
  credentialReplaced: boolean,
  wasConnected: boolean,
): { oldValue: unknown; newValue: unknown } {
  const fields = Object.keys(after) as Array<keyof ConnectionState>;
  const changed = fields.filter((f) => !before || before[f] !== after[f]);
  const pick = (state: ConnectionState | null) =>
    state ? Object.fromEntries(changed.map((f) => [f, state[f]])) : null;
  const credential = credentialReplaced ? (before ? 'replaced' : 'set') : 'kept';
  return {
    oldValue: before ? { ...pick(before), connected: wasConnected } : null,
    newValue: {
      ...pick(after),
      connected: true,
      credential,
      changed: [...changed, ...(credentialReplaced ? ['credential'] : [])],
    },
  };
}
