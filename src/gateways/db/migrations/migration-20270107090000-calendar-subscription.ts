import { Migration } from '@mikro-orm/migrations';

/**
 * Change notifications for calendars (docs/rules.md §6.9): each mailbox's Graph subscription to its
 * events, with its clientState kept as SHA-256 only, its expiry, whether Graph asked for it to be
 * renewed, and since when a notification waits for the mailbox's run.
 */
export class Migration20270107090000_calendar_subscription extends Migration {

  override name = 'Migration20270107090000_calendar_subscription';

  override up(): void | Promise<void> {
    this.addSql(`create table "calendar_subscription" ("hr_user_id" uuid not null, "subscription_id" varchar(128) not null, "client_state_hash" varchar(64) not null, "expires_at" timestamptz not null, "renew_due" boolean not null default false, "notified_at" timestamptz null, "created_at" timestamptz not null default now(), primary key ("hr_user_id"));`);
    this.addSql(`alter table "calendar_subscription" add constraint "calendar_subscription_subscription_id_unique" unique ("subscription_id");`);
    this.addSql(`alter table "calendar_subscription" add constraint "calendar_subscription_hr_user_id_foreign" foreign key ("hr_user_id") references "hr_user" ("id") on update cascade on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "calendar_subscription" cascade;`);
  }

}
