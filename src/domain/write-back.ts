/*
 * What write-back sends to Entra for one HR user (docs/rules.md#4-write-back-to-entra): from the
 * fields its pending changes name, the fields the admin permits, the values HR holds now and
 * whether Entra masters the user on-premises. Pure: the engine (src/sync/write-back) reads the
 * values and sends the plan.
 *
 * Values are read when the change is sent, not when it was made: several changes to one user make
 * one request with the latest values (rule 4.1), and sending a change twice changes nothing.
 */
import { HR_FIELDS, writeBackPropertyOf, type HrField, type HrFieldDefinition } from './hr-field.catalogue.js';

export type WriteBackValue = string | null;

/** What the inbound sync reads for write-back: whether Entra masters a user on-premises (rule 4.4). */
export const WRITE_BACK_READS: readonly string[] = ['onPremisesSyncEnabled'];

/** Graph's complex property that holds extensionAttribute1-15. */
const EXTENSION_ATTRIBUTES = 'onPremisesExtensionAttributes';
const MANAGER = 'manager';
/**
 * Properties Entra lets an app change on a user synced from on-premises AD. Microsoft lists no
 * such set (https://learn.microsoft.com/graph/api/user-update); the lifecycle date is a cloud
 * attribute set through Graph for synced users too
 * (https://learn.microsoft.com/graph/tutorial-lifecycle-workflows-set-employeeleavedatetime).
 */
const CLOUD_MASTERED = new Set(['employeeLeaveDateTime']);

export interface UserWriteInput {
  /** The HR fields the user's pending changes name (several changes: their union). */
  readonly fields: readonly string[];
  /** The fields the admin permits for write-back now (settings `writeBackFields`). */
  readonly permitted: readonly string[];
  /** The values HR holds now, by field (dates as YYYY-MM-DD). */
  readonly values: Readonly<Record<string, WriteBackValue>>;
  /** The Entra user's onPremisesSyncEnabled: true synced now, false synced once, null cloud-only. */
  readonly onPremisesSyncEnabled: boolean | null;
  /** The manager HR chose is an HR user not linked to Entra, so it has no Entra id to point at (its value is null). */
  readonly managerUnlinked?: boolean;
}

export interface SkippedField {
  readonly field: string;
  readonly reason: string;
}

export interface UserWritePlan {
  /** The body of PATCH /users/{id}: only the properties that change; empty when there is nothing to patch. */
  readonly patch: Readonly<Record<string, unknown>>;
  /** The manager to set (its Entra id) or remove (null); undefined when the manager is not written. */
  readonly manager?: string | null;
  /** The HR fields written. */
  readonly sent: readonly string[];
  readonly skipped: readonly SkippedField[];
}

/** The plan for one user: which permitted fields to send, in Graph's shapes, and why any other is left out. */
export function planUserWrite(input: UserWriteInput): UserWritePlan {
  const patch: Record<string, unknown> = {};
  const sent: string[] = [];
  const skipped: SkippedField[] = [];
  let manager: string | null | undefined;
  for (const field of [...new Set(input.fields)]) {
    const reason = skipReason(field, input);
    if (reason !== undefined) {
      skipped.push({ field, reason });
      continue;
    }
    // Not skipped: an HR field with a property to write.
    const property = writeBackPropertyOf(field)!;
    const value = input.values[field] ?? null;
    sent.push(field);
    if (property === MANAGER) manager = value;
    else setProperty(patch, property, toGraphValue(field as HrField, property, value));
  }
  return { patch, sent, skipped, manager };
}

function skipReason(field: string, input: UserWriteInput): string | undefined {
  const property = writeBackPropertyOf(field);
  if (property === undefined) return `${field} is never written to Entra.`;
  if (!input.permitted.includes(field))
    return `${field} is not permitted for write-back (settings writeBackFields), so it is not written to Entra.`;
  const hybrid = hybridReason(field, property, input.onPremisesSyncEnabled);
  if (hybrid !== undefined) return hybrid;
  if (property === MANAGER && input.managerUnlinked)
    return 'The manager chosen in HR is not linked to an Entra user, so Entra cannot point at it.';
  return undefined;
}

/**
 * Rule 4.4: a user synced from on-premises AD keeps the attributes AD masters; Graph refuses to
 * change them (400 Request_BadRequest, "Unable to update the specified properties for on-premises
 * mastered Directory Sync objects...", https://learn.microsoft.com/graph/api/user-update and
 * microsoftgraph/microsoft-graph-docs-contrib#5768), so write-back skips them rather than fail on
 * every attempt. A user synced once keeps its extension attributes read-only too
 * (microsoftgraph/microsoft-graph-docs-contrib#3564).
 */
export function hybridReason(
  field: string,
  property: string,
  onPremisesSyncEnabled: boolean | null,
): string | undefined {
  if (onPremisesSyncEnabled === true && !CLOUD_MASTERED.has(property))
    return `The Entra user is synced from on-premises Active Directory, which masters ${field}: change it there (rule 4.4).`;
  if (onPremisesSyncEnabled === false && property.startsWith(`${EXTENSION_ATTRIBUTES}.`))
    return `The Entra user was once synced from on-premises Active Directory, so Entra keeps ${field} read-only (rule 4.4).`;
  return undefined;
}

/**
 * A value as Graph takes it (docs/graph.md §2.4): a date as a UTC date-time at midnight, a business
 * phone as the one number of businessPhones (none when empty).
 */
export function toGraphValue(field: HrField, property: string, value: WriteBackValue): unknown {
  if ((HR_FIELDS[field] as HrFieldDefinition).type === 'date') return value === null ? null : `${value}T00:00:00Z`;
  if (property === 'businessPhones') return value === null ? [] : [value];
  return value;
}

/** A dotted property (onPremisesExtensionAttributes.extensionAttribute3) sets one key of the complex property. */
function setProperty(patch: Record<string, unknown>, property: string, value: unknown): void {
  const [head, key] = property.split('.') as [string, string?];
  if (key === undefined) {
    patch[head] = value;
    return;
  }
  patch[head] = { ...(patch[head] as Record<string, unknown> | undefined), [key]: value };
}

/** One line for the admin: what was written and what was left out, and why. */
export function describePlan(plan: Pick<UserWritePlan, 'sent' | 'skipped'>): string {
  const parts: string[] = [];
  if (plan.sent.length) parts.push(`Written: ${plan.sent.join(', ')}.`);
  for (const skip of plan.skipped) parts.push(`${skip.field} left out: ${skip.reason}`);
  return parts.join(' ');
}
