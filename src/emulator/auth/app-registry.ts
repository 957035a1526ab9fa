import { createHash } from 'node:crypto';

export interface EmulatorClient {
  clientId: string;
  clientSecret?: string;
  /** Hex (MSAL's format) or base64url SHA-256 thumbprint of the client's certificate. */
  certificateThumbprintSha256?: string;
  /** Optional PEM of that certificate; when given, assertion signatures are verified against it. */
  certificatePem?: string;
  roles: string[];
}

export const DEFAULT_CLIENT: EmulatorClient = {
  clientId: 'demo-client-id',
  clientSecret: 'demo-client-secret',
  roles: ['User.Read.All', 'Group.Read.All', 'GroupMember.Read.All', 'User.ReadWrite.All', 'Calendars.ReadWrite'],
};

/** The app registrations of the tenant and the application permissions granted to each. */
export class AppRegistry {
  private clients = new Map<string, EmulatorClient>();

  constructor(clients: readonly EmulatorClient[]) {
    for (const client of clients)
      this.clients.set(client.clientId.toLowerCase(), { ...client, roles: [...client.roles] });
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
