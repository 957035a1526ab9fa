import { Migration } from '@mikro-orm/migrations';

/**
 * E-mail invitations to sign in (docs/rules.md §8.4): one row per invited HR user, and when the
 * setting was last switched on (HR users created since then are invited).
 */
export class Migration20270105090000_invitations extends Migration {

  override name = 'Migration20270105090000_invitations';

  override up(): void | Promise<void> {
    this.addSql(`create table "invitation" ("hr_user_id" uuid not null, "email" varchar(320) not null, "status" varchar(16) not null default 'pending', "requested_at" timestamptz not null default now(), "requested_by" uuid null, "sent_at" timestamptz null, "send_count" int not null default 0, "last_error" text null, "signed_in_at" timestamptz null, primary key ("hr_user_id"));`);
    this.addSql(`create index "invitation_status_index" on "invitation" ("status");`);

    this.addSql(`alter table "integration_settings" add "invitations_since" timestamptz null;`);

    this.addSql(`alter table "invitation" add constraint "invitation_hr_user_id_foreign" foreign key ("hr_user_id") references "hr_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "invitation" add constraint "invitation_status_check" check (status in ('pending', 'sent', 'failed'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "invitation" cascade;`);

    this.addSql(`alter table "integration_settings" drop column "invitations_since";`);
  }

}
