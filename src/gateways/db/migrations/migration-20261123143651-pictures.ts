import { Migration } from '@mikro-orm/migrations';

export class Migration20261123143651_pictures extends Migration {

  override name = 'Migration20261123143651_pictures';

  override up(): void | Promise<void> {
    this.addSql(`create table "hr_user_picture" ("hr_user_id" uuid not null, "content_type" varchar(64) null, "bytes" bytea null, "sha256" varchar(64) null, "checked_at" timestamptz not null default now(), primary key ("hr_user_id"));`);

    this.addSql(`alter table "hr_user_picture" add constraint "hr_user_picture_hr_user_id_foreign" foreign key ("hr_user_id") references "hr_user" ("id") on update cascade on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "hr_user_picture" cascade;`);
  }

}
