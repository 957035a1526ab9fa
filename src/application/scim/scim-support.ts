import { pushAccess, PUSH_REFUSED, type PushAccess, type UserSource } from '../../domain/user-source.js';
import { ScimError } from '../../scim/scim-error.js';
import type { FieldChange, Outcome, UserOutcome } from '../../sync/inbound/apply.ports.js';

/** What a SCIM write request brings beside its body. */
export interface ScimWriteOptions {
  /** The If-Match header (RFC 7644 section 3.14), when sent. */
  ifMatch?: string;
}

export const notFound = (type: 'User' | 'Group', id: string) => new ScimError(404, `No ${type} with id ${id}`);

/** The push's access to a user under the userSource setting; refused is a 403 that says how to change it. */
export function requireAccess(source: UserSource, user: { entraId: string | null } | null): PushAccess {
  const access = pushAccess(source, user === null ? null : { linkedByPull: user.entraId !== null });
  if (access === 'refused') throw new ScimError(403, PUSH_REFUSED);
  return access;
}

/**
 * RFC 7644 section 3.14: a write carrying If-Match applies only to the version named (or any, for
 * `*`); otherwise 412 and nothing changes.
 */
export function checkIfMatch(current: string, ifMatch: string | undefined): void {
  if (ifMatch === undefined) return;
  const tags = ifMatch.split(',').map((tag) => tag.trim());
  if (tags.includes('*') || tags.includes(current)) return;
  throw new ScimError(412, `The resource has changed: its version is ${current}, not ${ifMatch}`);
}

export function outcome(
  kind: Outcome,
  user: { id: string | null; email: string | null; entraId: string | null },
  changes: FieldChange[],
  reason: string | null = null,
): UserOutcome {
  return { hrUserId: user.id, entraId: user.entraId, email: user.email, outcome: kind, changes, reason };
}

/** meta.version of a rendered resource. */
export function versionOf(resource: Record<string, unknown>): string {
  return (resource.meta as { version: string }).version;
}
