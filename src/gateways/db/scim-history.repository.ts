import { hash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ScimHistory } from '../../application/ports/scim.port.js';
import type { UserOutcome } from '../../sync/inbound/apply.ports.js';
import { executeBound } from './bound-sql.js';
import { outcomeRows } from './hr-sync.repository.js';
import { INITIAL_PROGRESS, ZERO_COUNTS } from './sync-run.repository.js';

/** Adds a parameter to a statement being built and answers its placeholder ($1, $2...). */
export type BindParameter = (value: unknown) => string;

/** A statement's parameters, collected as its text is written. */
export function boundParameters(): { params: unknown[]; bind: BindParameter } {
  const params: unknown[] = [];
  return { params, bind: (value) => `$${params.push(value)}` };
}

/**
 * What SCIM pushes changed, in the run history the admin already reads (rule 8.1): one run of
 * trigger 'scim' per UTC day, whose outcomes are the per-user changes of that day's requests. Its id
 * follows from the date, so concurrent requests (on any instance) find the same run without a
 * lock; its counts are counted from its outcomes when it is read (sync-run-views.repository.ts).
 */
export class PgScimHistory implements ScimHistory {
  constructor(
    private readonly em: EntityManager,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(outcomes: readonly UserOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    const { params, bind } = boundParameters();
    await executeBound(this.em, `with ${scimHistoryCtes(bind, outcomes, this.now())} select 1`, params);
  }
}

/**
 * The common table expressions that record outcomes in the day's SCIM run, to end a statement that
 * made the change itself: a request's round trips are most of its cost. The day's run is made if
 * missing, and the outcomes' foreign key is checked at the end of the statement, when the run exists.
 * With `written` (a CTE returning the `id` of the user the statement wrote), each outcome is that
 * user's, and none is recorded when it wrote none.
 */
export function scimHistoryCtes(
  bind: BindParameter,
  outcomes: readonly UserOutcome[],
  now: Date,
  written?: string,
): string {
  const day = now.toISOString().slice(0, 10);
  const runId = bind(scimRunId(day));
  return `scim_outcome_row as (
      select ${written ? 'n.id' : 'x.hr_user_id'} as hr_user_id, x.entra_id, x.email, x.outcome, coalesce(x.changes, '[]') as changes, x.reason
        from json_to_recordset(${bind(outcomeRows(outcomes))}::json)
          as x(hr_user_id uuid, entra_id text, email text, outcome text, changes jsonb, reason text)
        ${written ? `cross join ${written} n` : ''}
    ), scim_run as (
      insert into sync_run (id, trigger, mode, status, started_at, counts, progress)
      select ${runId}::uuid, 'scim', 'incremental', 'succeeded', ${bind(day)}::date::timestamp at time zone 'UTC',
             ${bind(JSON.stringify(ZERO_COUNTS))}::jsonb, ${bind(JSON.stringify({ ...INITIAL_PROGRESS, stage: 'scim' }))}::jsonb
       where exists (select 1 from scim_outcome_row)
      on conflict (id) do nothing
    ), scim_outcome as (
      insert into sync_run_outcome (run_id, hr_user_id, entra_id, email, outcome, changes, reason)
      select ${runId}::uuid, hr_user_id, entra_id, email, outcome, changes, reason from scim_outcome_row
    )`;
}

/** The run of one UTC day's SCIM changes: a uuid drawn from the date. */
export function scimRunId(day: string): string {
  if (lastRun?.day !== day) {
    const hex = hash('sha256', `scim-push:${day}`, 'hex');
    lastRun = {
      day,
      id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`,
    };
  }
  return lastRun.id;
}
/** Every push of a day asks for the same id. */
let lastRun: { day: string; id: string } | undefined;
