import { Migration } from '@mikro-orm/migrations';

/**
 * Sync channels: each channel's state as data (its stage, when the stage started, failures in a
 * row, last success, its delta cursors by stream, its full-round counter). The inbound sync is the
 * channel 'entra-inbound': its cursors (delta_cursor) and full-round counter (sync_state) move here,
 * so a run after the upgrade resumes where the last one stopped. sync_state keeps the inbound
 * apply stage's own marks.
 */
export class Migration20261130113000_sync_channel extends Migration {

  override name = 'Migration20261130113000_sync_channel';

  override up(): void | Promise<void> {
    this.addSql(`create table "sync_channel" ("id" varchar(200) not null, "kind" varchar(32) not null, "stage" varchar(32) not null default 'idle', "stage_started_at" timestamptz null, "failures_in_row" int not null default 0, "last_success_at" timestamptz null, "cursors" jsonb not null default '{}', "full_round" bigint not null default 0, "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`insert into "sync_channel" ("id", "kind", "cursors", "full_round")
      select 'entra-inbound', 'entra-inbound',
             coalesce((select jsonb_object_agg("stream", jsonb_build_object('cursor', "cursor", 'inRound', "in_round", 'fullRound', "full_round", 'roundStartedAt', "round_started_at", 'updatedAt', "updated_at")) from "delta_cursor"), '{}'),
             coalesce((select "full_round" from "sync_state" where "id" = 1), 0);`);
    this.addSql(`drop table "delta_cursor";`);
    this.addSql(`alter table "sync_state" drop column "full_round";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`create table "delta_cursor" ("stream" varchar(32) not null, "cursor" text null, "in_round" boolean not null default false, "round_started_at" timestamptz null, "updated_at" timestamptz not null default now(), "full_round" bigint null, primary key ("stream"));`);
    this.addSql(`insert into "delta_cursor" ("stream", "cursor", "in_round", "full_round", "round_started_at", "updated_at")
      select c.key, c.value->>'cursor', coalesce((c.value->>'inRound')::boolean, false), (c.value->>'fullRound')::bigint,
             (c.value->>'roundStartedAt')::timestamptz, coalesce((c.value->>'updatedAt')::timestamptz, now())
        from "sync_channel" s, jsonb_each(s."cursors") c where s."id" = 'entra-inbound';`);
    this.addSql(`alter table "sync_state" add column "full_round" bigint not null default 0;`);
    this.addSql(`update "sync_state" set "full_round" = coalesce((select "full_round" from "sync_channel" where "id" = 'entra-inbound'), 0) where "id" = 1;`);
    this.addSql(`drop table "sync_channel";`);
  }

}
