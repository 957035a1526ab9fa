import { Migration } from '@mikro-orm/migrations';

const EXTENSION_COLUMNS = Array.from({ length: 15 }, (_, i) => `"extension_attribute${i + 1}"`);

/**
 * Write-back (docs/rules.md §4): the outbox of changes waiting for Entra, written in the same
 * transaction as the HR change it announces, and a notification on each insert (delivered when the
 * transaction commits) that wakes the drain at once. The employee profile gains the fields only HR
 * keeps and write-back may send: employee type, company name, extension attributes 1-15.
 */
export class Migration20261220120000_write_back extends Migration {

  override name = 'Migration20261220120000_write_back';

  override up(): void | Promise<void> {
    this.addSql(`create table "write_back_change" ("id" bigserial primary key, "action" varchar(16) not null, "hr_user_id" uuid null, "entra_id" varchar(64) null, "email" varchar(320) null, "fields" jsonb not null default '[]', "status" varchar(16) not null default 'pending', "attempts" int not null default 0, "not_before" timestamptz not null default now(), "reason" text null, "error_code" varchar(200) null, "error_status" int null, "result" jsonb null, "drain_id" uuid null, "created_at" timestamptz not null default now(), "settled_at" timestamptz null, constraint "write_back_change_action_check" check ("action" in ('update', 'create', 'delete')), constraint "write_back_change_status_check" check ("status" in ('pending', 'sent', 'skipped', 'failed', 'cancelled', 'discarded')));`);
    this.addSql(`alter table "write_back_change" add constraint "write_back_change_hr_user_id_foreign" foreign key ("hr_user_id") references "hr_user" ("id") on update cascade on delete set null;`);
    this.addSql(`create index "write_back_change_pending_index" on "write_back_change" ("not_before", "id") where "status" = 'pending';`);
    this.addSql(`create index "write_back_change_hr_user_id_index" on "write_back_change" ("hr_user_id", "id");`);
    this.addSql(`create index "write_back_change_status_index" on "write_back_change" ("status", "id");`);
    this.addSql(`create function "write_back_change_notify"() returns trigger language plpgsql as $$
      begin
        perform pg_notify('ehc_write_back', '');
        return null;
      end $$;`);
    this.addSql(`create trigger "write_back_change_notify" after insert on "write_back_change"
      for each statement execute function "write_back_change_notify"();`);
    this.addSql(`alter table "employee_profile" add column "employee_type" varchar(64) null, add column "company_name" varchar(64) null, ${EXTENSION_COLUMNS.map((c) => `add column ${c} varchar(1024) null`).join(', ')};`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "employee_profile" drop column "employee_type", drop column "company_name", ${EXTENSION_COLUMNS.map((c) => `drop column ${c}`).join(', ')};`);
    this.addSql(`drop trigger if exists "write_back_change_notify" on "write_back_change";`);
    this.addSql(`drop function if exists "write_back_change_notify"();`);
    this.addSql(`drop table if exists "write_back_change";`);
  }

}
