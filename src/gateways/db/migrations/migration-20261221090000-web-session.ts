import { Migration } from '@mikro-orm/migrations';

/**
 * Web app sessions, kept server-side: the browser's cookie holds a random token, the table its
 * SHA-256, the HR user, the synchronizer token against cross-site request forgery, how the person
 * signed in and until when. Deleting the HR user deletes its sessions.
 */
export class Migration20261221090000_web_session extends Migration {

  override name = 'Migration20261221090000_web_session';

  override up(): void | Promise<void> {
    this.addSql(`create table "web_session" ("id" uuid not null default gen_random_uuid(), "token_hash" varchar(64) not null, "hr_user_id" uuid not null, "csrf_token" varchar(64) not null, "method" varchar(16) not null, "created_at" timestamptz not null default now(), "last_seen_at" timestamptz not null default now(), "expires_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "web_session" add constraint "web_session_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "web_session_hr_user_id_index" on "web_session" ("hr_user_id");`);
    this.addSql(`create index "web_session_expires_at_index" on "web_session" ("expires_at");`);
    this.addSql(`alter table "web_session" add constraint "web_session_method_check" check ("method" in ('entra', 'local'));`);
    this.addSql(`alter table "web_session" add constraint "web_session_hr_user_id_foreign" foreign key ("hr_user_id") references "hr_user" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "web_session" cascade;`);
  }

}
