import { Migration } from '@mikro-orm/migrations';

/**
 * The employee's iCalendar feed (docs/rules.md §6.4): one secret URL per HR user, its token kept
 * only as its SHA-256, with when it was made and last read.
 */
export class Migration20270101090000_calendar_feed extends Migration {

  override name = 'Migration20270101090000_calendar_feed';

  override up(): void | Promise<void> {
    this.addSql(`create table "calendar_feed" ("hr_user_id" uuid not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null default now(), "last_read_at" timestamptz null, primary key ("hr_user_id"));`);
    this.addSql(`alter table "calendar_feed" add constraint "calendar_feed_token_hash_unique" unique ("token_hash");`);
    this.addSql(`alter table "calendar_feed" add constraint "calendar_feed_hr_user_id_foreign" foreign key ("hr_user_id") references "hr_user" ("id") on update cascade on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "calendar_feed" cascade;`);
  }

}
