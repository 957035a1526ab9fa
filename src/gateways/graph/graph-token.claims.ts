/**
 * Reading an app-only access token's payload. Graph access tokens are not ours to validate ("the client
 * should not validate access tokens", https://learn.microsoft.com/entra/identity-platform/claims-validation);
 * we only decode the payload to see which application permissions (`roles`) were granted when the token was
 * issued.
 */
export interface AccessTokenClaims {
  roles: string[];
  tenantId: string | undefined;
  appId: string | undefined;
  expiresAt: Date | undefined;
}

export function decodeJwtPayload(token: string): Record<string, unknown> {
  const parts = token.split('.');
  const payload = parts[1];
  if (parts.length !== 3 || payload === undefined || payload === '') {
    throw new TypeError('Access token is not a JWT (expected three dot-separated parts)');
  }
  const json = Buffer.from(payload, 'base64url').toString('utf8');
  const value: unknown = JSON.parse(json);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError('Access token payload is not a JSON object');
  }
  return value as Record<string, unknown>;
}

/**
 * A token issued with no permission granted has no `roles` claim at all, which reads as [] (a claim
 * appears only when it has a value, https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
 */
export function readAccessTokenClaims(token: string): AccessTokenClaims {
  const payload = decodeJwtPayload(token);
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((role) => typeof role === 'string') : [];
  return {
    roles,
    tenantId: typeof payload.tid === 'string' ? payload.tid : undefined,
    appId:
      typeof payload.appid === 'string' ? payload.appid : typeof payload.azp === 'string' ? payload.azp : undefined,
    expiresAt: typeof payload.exp === 'number' ? new Date(payload.exp * 1000) : undefined,
  };
}
