import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ScimHistory } from '../../application/ports/scim.port.js';
import type { UserOutcome } from '../../sync/inbound/apply.ports.js';
import { outcomeRows } from './hr-sync.repository.js';
import { INITIAL_PROGRESS, ZERO_COUNTS } from './sync-run.repository.js';

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
    const day = this.now().toISOString().slice(0, 10);
    const runId = scimRunId(day);
    // One statement (a request's round trips are most of its cost): the day's run is made if missing,
    // and the outcomes' foreign key is checked at the end of the statement, when the run exists.
    await this.em.execute(
      `with run as (
         insert into sync_run (id, trigger, mode, status, started_at, counts, progress)
         values (?, 'scim', 'incremental', 'succeeded', ?::date::timestamp at time zone 'UTC', ?, ?) on conflict (id) do nothing
       )
       insert into sync_run_outcome (run_id, hr_user_id, entra_id, email, outcome, changes, reason)
       select ?, hr_user_id, entra_id, email, outcome, coalesce(changes, '[]'), reason
         from json_to_recordset(?::json) as x(hr_user_id uuid, entra_id text, email text, outcome text, changes jsonb, reason text)`,
      [
        runId,
        day,
        JSON.stringify(ZERO_COUNTS),
        JSON.stringify({ ...INITIAL_PROGRESS, stage: 'scim' }),
        runId,
        outcomeRows(outcomes),
      ],
    );
  }
}

/** The run of one UTC day's SCIM changes: a uuid drawn from the date. */
export function scimRunId(day: string): string {
  const hex = createHash('sha256').update(`scim-push:${day}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
