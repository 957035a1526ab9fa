import { Migration } from '@mikro-orm/migrations';

export class Migration20261123135524_directory_mirror extends Migration {

  override name = 'Migration20261123135524_directory_mirror';

  override up(): void | Promise<void> {
    this.addSql(`create table "entra_group" ("entra_id" varchar(64) not null, "display_name" varchar(256) null, "removed" varchar(16) null, "seen_round" bigint not null default '0', primary key ("entra_id"));`);

    this.addSql(`create table "entra_group_member" ("group_id" varchar(64) not null, "member_id" varchar(64) not null, "member_type" varchar(8) not null, "seen_round" bigint not null default '0', primary key ("group_id", "member_id"));`);
    this.addSql(`create index "entra_group_member_member_id_index" on "entra_group_member" ("member_id");`);

    this.addSql(`create table "entra_user" ("entra_id" varchar(64) not null, "properties" jsonb not null, "manager_entra_id" varchar(64) null, "removed" varchar(16) null, "seen_round" bigint not null default '0', "changed_seq" bigint not null, primary key ("entra_id"));`);
    this.addSql(`create index "entra_user_changed_seq_index" on "entra_user" ("changed_seq");`);

    this.addSql(`create table "pending_deactivation" ("run_id" uuid not null, "hr_user_id" uuid not null, "entra_id" varchar(64) null, "email" varchar(320) not null, "reason" varchar(64) not null, primary key ("run_id", "hr_user_id"));`);

    this.addSql(`create table "sync_state" ("id" int not null, "applied_seq" bigint not null default '0', "full_round" bigint not null default '0', "last_full_at" timestamptz null, "settings_fingerprint" varchar(64) null, primary key ("id"));`);

    this.addSql(`alter table "delta_cursor" add "full_round" bigint null;`);
    // One sequence orders every mirror change, so the apply stage can ask for "changes since N".
    this.addSql(`create sequence if not exists "entra_change_seq";`);
    this.addSql(`insert into "sync_state" ("id") values (1);`);
    this.addSql(`create index "sync_run_outcome_run_id_id_index" on "sync_run_outcome" ("run_id", "id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "entra_group" cascade;`);
    this.addSql(`drop table if exists "entra_group_member" cascade;`);
    this.addSql(`drop table if exists "entra_user" cascade;`);
    this.addSql(`drop table if exists "pending_deactivation" cascade;`);
    this.addSql(`drop table if exists "sync_state" cascade;`);

    this.addSql(`alter table "delta_cursor" drop column "full_round";`);
    this.addSql(`drop sequence if exists "entra_change_seq";`);
    this.addSql(`drop index if exists "sync_run_outcome_run_id_id_index";`);
  }

}
