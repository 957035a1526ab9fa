import { createHash } from 'node:crypto';

export interface EmulatorClient {
  clientId: string;
  clientSecret?: string;
  /** Hex (MSAL's format) or base64url SHA-256 thumbprint of the client's certificate. */
  certificateThumbprintSha256?: string;
  /** Optional PEM of that certificate; when given, assertion signatures are verified against it. */
  certificatePem?: string;
  roles: string[];
  /**
   * Redirect URIs of the Web platform, for the authorization code flow. An `http://localhost` or
   * `http://127.0.0.1` URI matches whatever port a request names ("the port component is ignored"
   * for loopback redirect URIs, https://learn.microsoft.com/entra/identity-platform/reply-url#localhost-exceptions).
   */
  redirectUris?: string[];
}

export const DEFAULT_CLIENT: EmulatorClient = {
  clientId: 'demo-client-id',
  clientSecret: 'demo-client-secret',
  roles: [
    'User.Read.All',
    'Group.Read.All',
    'GroupMember.Read.All',
    'User.ReadWrite.All',
    'Calendars.ReadWrite',
    // Write-back of creations (docs/rules.md §4.2): the verified domains, and the synced group a new user joins.
    'Domain.Read.All',
    'GroupMember.ReadWrite.All',
  ],
  // The connector's sign-in callback on any loopback port (src/http/surfaces/web-session.surface.ts).
  redirectUris: ['http://localhost/auth/callback', 'http://127.0.0.1/auth/callback'],
};

/** The app registrations of the tenant and the application permissions granted to each. */
export class AppRegistry {
  private clients = new Map<string, EmulatorClient>();

  constructor(clients: readonly EmulatorClient[]) {
    for (const client of clients)
      this.clients.set(client.clientId.toLowerCase(), {
        ...client,
        roles: [...client.roles],
        redirectUris: [...(client.redirectUris ?? [])],
      });
  }

  get(clientId: string): EmulatorClient | undefined {
    return this.clients.get(clientId.toLowerCase());
  }

  /**
   * Takes effect for tokens issued afterwards: roles travel in the token
   * (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
   */
  setRoles(clientId: string, roles: readonly string[]): boolean {
    const client = this.get(clientId);
    if (!client) return false;
    client.roles = [...roles];
    return true;
  }

  /** Replaces the client's redirect URIs; false for an unknown client. */
  setRedirectUris(clientId: string, uris: readonly string[]): boolean {
    const client = this.get(clientId);
    if (!client) return false;
    client.redirectUris = [...uris];
    return true;
  }

  list(): EmulatorClient[] {
    return [...this.clients.values()];
  }
}

/** Stable service principal object id for a client, used as `oid` in its tokens. */
export function servicePrincipalId(clientId: string): string {
  const h = createHash('sha256').update(`sp:${clientId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Normalises a thumbprint given as hex (with or without colons) or base64url into raw bytes. */
export function thumbprintBytes(thumbprint: string): Buffer {
  const hex = thumbprint.replace(/:/g, '');
  if (/^[0-9a-f]{64}$/i.test(hex)) return Buffer.from(hex, 'hex');
  return Buffer.from(thumbprint, 'base64url');
}

/**
 * Whether `requested` is one of the client's redirect URIs: exact (case-sensitive) matches, except
 * that a loopback URI of scheme http ignores the port
 * (https://learn.microsoft.com/entra/identity-platform/reply-url#localhost-exceptions).
 */
export function redirectUriRegistered(client: EmulatorClient, requested: string): boolean {
  const registered = client.redirectUris ?? [];
  if (registered.includes(requested)) return true;
  const loopback = withoutLoopbackPort(requested);
  return loopback !== null && registered.some((uri) => withoutLoopbackPort(uri) === loopback);
}

function withoutLoopbackPort(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' || !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) return null;
  url.port = '';
  return url.href;
}
