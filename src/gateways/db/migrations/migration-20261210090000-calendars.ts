import { Migration } from '@mikro-orm/migrations';

/**
 * Calendars into HR (docs/rules.md §6.1, §6.2): each HR user's calendar choices, the Microsoft 365
 * calendars they can edit (the default one always enabled, others as the employee chose), and a
 * record of every calendar run per mailbox.
 */
export class Migration20261210090000_calendars extends Migration {

  override name = 'Migration20261210090000_calendars';

  override up(): void | Promise<void> {
    this.addSql(`create table "calendar_mailbox" ("hr_user_id" uuid not null, "sync_enabled" boolean not null default true, "show_private_details" boolean not null default false, "updated_at" timestamptz not null default now(), primary key ("hr_user_id"));`);
    this.addSql(`alter table "calendar_mailbox" add constraint "calendar_mailbox_hr_user_id_foreign" foreign key ("hr_user_id") references "hr_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`create table "hr_calendar" ("id" uuid not null default gen_random_uuid(), "hr_user_id" uuid not null, "source_id" text not null, "name" text not null, "is_default" boolean not null default false, "enabled" boolean not null default false, "owner_name" text null, "owner_address" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "hr_calendar" add constraint "hr_calendar_hr_user_id_foreign" foreign key ("hr_user_id") references "hr_user" ("id") on delete cascade;`);
    this.addSql(`alter table "hr_calendar" add constraint "hr_calendar_hr_user_id_source_id_unique" unique ("hr_user_id", "source_id");`);
    this.addSql(`create table "calendar_run" ("id" uuid not null default gen_random_uuid(), "hr_user_id" uuid not null, "trigger" varchar(32) not null, "status" varchar(16) not null, "started_at" timestamptz not null, "finished_at" timestamptz not null default now(), "counts" jsonb not null default '{}', "conflicts" jsonb not null default '[]', "error" text null, primary key ("id"));`);
    this.addSql(`alter table "calendar_run" add constraint "calendar_run_hr_user_id_foreign" foreign key ("hr_user_id") references "hr_user" ("id") on delete cascade;`);
    this.addSql(`create index "calendar_run_hr_user_id_started_at_index" on "calendar_run" ("hr_user_id", "started_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "calendar_run" cascade;`);
    this.addSql(`drop table if exists "hr_calendar" cascade;`);
    this.addSql(`drop table if exists "calendar_mailbox" cascade;`);
  }

}
