import { Migration } from '@mikro-orm/migrations';

/**
 * The run lifecycle: a run is recorded as `queued` when it is asked for (so "sync now" can answer
 * with its id and later requests join it), records the instance that runs it (so a run left by a
 * dead process can be told from one a live instance is running), who cancelled it, and how long it
 * waited for Graph's throttling.
 */
export class Migration20261130093000_run_lifecycle extends Migration {

  override name = 'Migration20261130093000_run_lifecycle';

  override up(): void | Promise<void> {
    this.addSql(`alter table "sync_run" add column "instance" varchar(128) null, add column "cancel_requested_at" timestamptz null, add column "cancelled_by" uuid null, add column "throttle_wait_ms" int not null default 0;`);
    // At most one background sync (scheduled, sync now, reconciliation) queued or running at a time,
    // across every instance: a second request joins it instead of inserting another.
    this.addSql(`create unique index "sync_run_one_active" on "sync_run" ((true)) where "status" in ('queued', 'running') and "trigger" in ('manual', 'schedule', 'reconciliation');`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "sync_run_one_active";`);
    this.addSql(`alter table "sync_run" drop column "instance", drop column "cancel_requested_at", drop column "cancelled_by", drop column "throttle_wait_ms";`);
  }

}
