import { Migration } from '@mikro-orm/migrations';

/**
 * Push provisioning over SCIM 2.0 (docs/rules.md, section 7):
 * - on the HR user, what the provisioning client wrote that is not an HR field: its userName
 *   (unique case-insensitively together with the e-mails of users it never wrote, which it reads
 *   as their userName), its externalId, the rest of the resource, and when a DELETE took the user
 *   out of SCIM (the HR user stays, deactivated);
 * - pushed groups and their members (HR users), unique by name case-insensitively;
 * - the setting saying which source owns users: the Graph sync (pull), the pushes, or both.
 */
export class Migration20261211090000_scim extends Migration {

  override name = 'Migration20261211090000_scim';

  override up(): void | Promise<void> {
    this.addSql(`alter table "hr_user" add column "scim_user_name" varchar(320) null, add column "scim_external_id" varchar(256) null, add column "scim_attributes" jsonb null, add column "scim_removed_at" timestamptz null;`);
    this.addSql(`create unique index "hr_user_scim_user_name_unique" on "hr_user" (lower(coalesce("scim_user_name", "email")));`);
    this.addSql(`create index "hr_user_scim_external_id_index" on "hr_user" ("scim_external_id") where "scim_external_id" is not null;`);

    this.addSql(`create table "scim_group" ("id" uuid not null default gen_random_uuid(), "display_name" varchar(256) not null, "external_id" varchar(256) null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create unique index "scim_group_display_name_unique" on "scim_group" (lower("display_name"));`);
    this.addSql(`create index "scim_group_external_id_index" on "scim_group" ("external_id");`);

    this.addSql(`create table "scim_group_member" ("group_id" uuid not null, "hr_user_id" uuid not null, primary key ("group_id", "hr_user_id"));`);
    this.addSql(`create index "scim_group_member_hr_user_id_index" on "scim_group_member" ("hr_user_id");`);
    this.addSql(`alter table "scim_group_member" add constraint "scim_group_member_group_id_foreign" foreign key ("group_id") references "scim_group" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "scim_group_member" add constraint "scim_group_member_hr_user_id_foreign" foreign key ("hr_user_id") references "hr_user" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "integration_settings" add column "user_source" varchar(8) not null default 'pull';`);
    this.addSql(`alter table "integration_settings" add constraint "integration_settings_user_source_check" check ("user_source" in ('pull', 'push', 'both'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "integration_settings" drop constraint "integration_settings_user_source_check";`);
    this.addSql(`alter table "integration_settings" drop column "user_source";`);
    this.addSql(`drop table if exists "scim_group_member" cascade;`);
    this.addSql(`drop table if exists "scim_group" cascade;`);
    this.addSql(`drop index if exists "hr_user_scim_external_id_index";`);
    this.addSql(`drop index if exists "hr_user_scim_user_name_unique";`);
    this.addSql(`alter table "hr_user" drop column "scim_user_name", drop column "scim_external_id", drop column "scim_attributes", drop column "scim_removed_at";`);
  }

}
