import { HR_FIELDS, SYNCED_HR_FIELDS, type HrField } from '../../../src/domain/hr-field.catalogue.js';
import type { PagePlan, UserOutcome } from '../../../src/sync/inbound/apply.ports.js';
import type { HrUserRow, InboundState } from './inbound-state.js';

const SYNCED: ReadonlySet<string> = new Set(SYNCED_HR_FIELDS);
const TAKEN = 'Another HR user already has this e-mail address (compared case-insensitively).';

/**
 * One page plan, all or nothing, as src/gateways/db/hr-sync.repository.ts writes it in one
 * transaction: everything is checked before anything is written. A value longer than its column
 * fails the page, as PostgreSQL does; a create whose e-mail or Entra id is taken is skipped.
 */
export function writePlan(db: InboundState, plan: PagePlan, runId: string, apply: boolean): UserOutcome[] {
  // Outcomes belong to a recorded run (a foreign key).
  if (plan.outcomes.length && !db.runs.has(runId)) throw new Error(`the sync run ${runId} is not recorded`);
  if (!apply) return record(db, runId, plan.outcomes);
  check(db, plan);
  const now = db.tick();
  const created = new Map<string, string>();
  // The managers HR had before this page: a created user is linked to one at once (as PostgreSQL's
  // insert does); one created later, the manager resolution links.
  const before = new Map([...db.hrUsers.values()].flatMap((u) => (u.entraId ? [[u.entraId, u.id] as const] : [])));
  for (const c of plan.creates) {
    const taken = [...db.hrUsers.values()].some(
      (u) => u.email.toLowerCase() === c.email.toLowerCase() || u.entraId === c.entraId,
    );
    if (taken) continue;
    const id = db.addHrUser({
      email: c.email,
      entraId: c.entraId,
      values: columns(c.values),
      custom: { ...c.custom },
      fieldSources: Object.fromEntries(Object.keys(c.values).map((k) => [k, { source: 'entra', changedAt: now }])),
      origin: 'entra',
      managerId: before.get(String(c.values.managerEntraId)) ?? null,
      roleSyncState: structuredClone(c.roleSyncState),
      lastSyncedAt: now,
      lastChangeOrigin: 'entra',
      lastChangedAt: now,
    });
    created.set(c.entraId, id);
    for (const role of c.roleIds) db.grant(id, role);
  }
  for (const u of plan.updates) {
    const user = db.hrUsers.get(u.id);
    if (user) update(user, u, now);
  }
  for (const g of plan.roleGrants) db.grant(g.hrUserId, g.roleId);
  for (const r of plan.roleRevokes) db.userRoles.get(r.hrUserId)?.delete(r.roleId);
  for (const d of plan.deactivations)
    if (!db.pending.some((p) => p.runId === runId && p.hrUserId === d.hrUserId)) db.pending.push({ runId, ...d });
  const outcomes = plan.outcomes.map((o): UserOutcome => {
    if (o.outcome !== 'created') return o;
    const id = created.get(o.entraId!);
    return id ? { ...o, hrUserId: id } : { ...o, outcome: 'skipped', changes: [], reason: TAKEN };
  });
  return record(db, runId, outcomes);
}

function update(user: HrUserRow, u: PagePlan['updates'][number], now: number): void {
  for (const [key, value] of Object.entries(u.values)) {
    if (key.startsWith('custom.')) user.custom[key.slice('custom.'.length)] = value;
    else if (SYNCED.has(key)) user.values[key] = value === null ? null : String(value);
    user.fieldSources[key] = { source: 'entra', changedAt: now };
  }
  user.entraId = u.linkEntraId ?? user.entraId;
  if (u.reactivate) Object.assign(user, { active: true, deactivatedReason: null });
  if (u.roleSyncState !== undefined) user.roleSyncState = structuredClone(u.roleSyncState);
  if (u.kept !== undefined) user.kept = { ...u.kept };
  Object.assign(user, { lastSyncedAt: now, lastChangeOrigin: 'entra', lastChangedAt: now });
}

/** What the database's constraints refuse: too long a value, an Entra id linked twice, an unknown role. */
function check(db: InboundState, plan: PagePlan): void {
  for (const c of plan.creates) {
    fits('email', c.email);
    fits('entraId', c.entraId);
    for (const [field, value] of Object.entries(c.values)) fits(field, value);
  }
  for (const u of plan.updates) {
    for (const [field, value] of Object.entries(u.values)) fits(field, value);
    const holder = [...db.hrUsers.values()].find((h) => u.linkEntraId !== null && h.entraId === u.linkEntraId);
    if (holder && holder.id !== u.id)
      throw new Error('duplicate key value violates unique constraint "hr_user_entra_id_unique"');
  }
  for (const role of [...plan.creates.flatMap((c) => c.roleIds), ...plan.roleGrants.map((g) => g.roleId)])
    if (!db.roles.has(role)) throw new Error('insert or update on table "user_role" violates a foreign key');
}

function fits(field: string, value: unknown): void {
  const max = (HR_FIELDS[field as HrField] as { maxLength?: number } | undefined)?.maxLength;
  if (max !== undefined && typeof value === 'string' && [...value].length > max)
    throw new Error(`value too long for type character varying(${max})`);
}

/** The synced fields as columns: every one, as text or null. */
function columns(values: Record<string, string | boolean | null>): Record<string, string | null> {
  return Object.fromEntries(
    SYNCED_HR_FIELDS.map((f) => [f, values[f] === null || values[f] === undefined ? null : String(values[f])]),
  );
}

function record(db: InboundState, runId: string, outcomes: UserOutcome[]): UserOutcome[] {
  db.outcomes.push(...outcomes.map((o) => ({ ...structuredClone(o), runId })));
  return outcomes;
}
