import { Migration } from '@mikro-orm/migrations';

/**
 * Events both ways (docs/rules.md §6.3, §6.6-6.8): the events of each HR user's calendars, those
 * read from Microsoft 365 and those HR creates, with what the push to Microsoft 365 needs (HR's
 * version, the version pushed, the transaction id) and the earlier versions a conflict or a
 * deletion leaves; each calendar remembers the window its delta cursor was made for.
 */
export class Migration20261212090000_calendar_events extends Migration {

  override name = 'Migration20261212090000_calendar_events';

  override up(): void | Promise<void> {
    this.addSql(`alter table "hr_calendar" add column "window_start" timestamptz null, add column "window_end" timestamptz null;`);
    this.addSql(`create table "hr_event" ("id" uuid not null default gen_random_uuid(), "hr_user_id" uuid not null, "calendar_id" uuid null, "origin" varchar(16) not null, "kind" varchar(32) not null default 'outlook', "source_id" text null, "series_source_id" text null, "event_type" varchar(16) not null default 'singleInstance', "original_start" timestamptz null, "subject" text not null default '', "body" text not null default '', "body_truncated" boolean not null default false, "location" text not null default '', "starts_at" timestamptz not null, "ends_at" timestamptz not null, "time_zone" text not null default 'UTC', "is_all_day" boolean not null default false, "start_date" date null, "end_date" date null, "show_as" varchar(24) not null default 'busy', "sensitivity" varchar(16) not null default 'normal', "is_private" boolean not null default false, "is_cancelled" boolean not null default false, "attendees" jsonb not null default '[]', "organizer" jsonb null, "change_key" text null, "source_modified_at" timestamptz null, "seen_round" bigint null, "hr_version" int not null default 0, "pushed_version" int not null default 0, "hr_modified_at" timestamptz null, "transaction_id" text null, "deleted_at" timestamptz null, "push_error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "hr_event" add constraint "hr_event_hr_user_id_foreign" foreign key ("hr_user_id") references "hr_user" ("id") on delete cascade;`);
    this.addSql(`alter table "hr_event" add constraint "hr_event_calendar_id_foreign" foreign key ("calendar_id") references "hr_calendar" ("id") on delete set null;`);
    this.addSql(`alter table "hr_event" add constraint "hr_event_calendar_id_source_id_unique" unique ("calendar_id", "source_id");`);
    this.addSql(`create index "hr_event_hr_user_id_starts_at_index" on "hr_event" ("hr_user_id", "starts_at");`);
    this.addSql(`create index "hr_event_hr_user_id_origin_index" on "hr_event" ("hr_user_id", "origin");`);
    this.addSql(`create table "hr_event_history" ("id" bigserial primary key, "event_id" uuid not null, "recorded_at" timestamptz not null default now(), "reason" varchar(32) not null, "side" varchar(16) not null, "snapshot" jsonb not null);`);
    this.addSql(`alter table "hr_event_history" add constraint "hr_event_history_event_id_foreign" foreign key ("event_id") references "hr_event" ("id") on delete cascade;`);
    this.addSql(`create index "hr_event_history_event_id_index" on "hr_event_history" ("event_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "hr_event_history" cascade;`);
    this.addSql(`drop table if exists "hr_event" cascade;`);
    this.addSql(`alter table "hr_calendar" drop column "window_start", drop column "window_end";`);
  }

}
