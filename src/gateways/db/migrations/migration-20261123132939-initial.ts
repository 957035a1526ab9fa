import { Migration } from '@mikro-orm/migrations';

export class Migration20261123132939_initial extends Migration {

  override name = 'Migration20261123132939_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "audit_log" ("id" bigserial primary key, "actor_id" uuid null, "at" timestamptz not null default now(), "action" varchar(64) not null, "target" varchar(256) null, "old_value" jsonb null, "new_value" jsonb null);`);
    this.addSql(`create index "audit_log_at_index" on "audit_log" ("at");`);

    this.addSql(`create table "delta_cursor" ("stream" varchar(32) not null, "cursor" text null, "in_round" boolean not null default false, "round_started_at" timestamptz null, "updated_at" timestamptz not null default now(), primary key ("stream"));`);

    this.addSql(`create table "entra_connection" ("id" int not null, "tenant_id" varchar(128) not null, "client_id" varchar(128) not null, "credential_kind" varchar(16) not null, "credential_encrypted" text not null, "certificate_thumbprint" varchar(128) null, "client_secret_expires_at" date null, "connected" boolean not null default true, "last_tested_at" timestamptz null, "updated_at" timestamptz not null default now(), primary key ("id"));`);

    this.addSql(`create table "hr_user" ("id" uuid not null default gen_random_uuid(), "email" varchar(320) not null, "entra_id" varchar(64) null, "first_name" varchar(128) null, "last_name" varchar(128) null, "display_name" varchar(256) null, "job_title" varchar(128) null, "department" varchar(128) null, "office_location" varchar(128) null, "employee_number" varchar(64) null, "hire_date" date null, "mobile_phone" varchar(64) null, "business_phone" varchar(64) null, "city" varchar(128) null, "manager_entra_id" varchar(64) null, "manager_id" uuid null, "custom_fields" jsonb not null default '{}', "field_sources" jsonb not null default '{}', "picture_etag" varchar(128) null, "active" boolean not null default true, "origin" varchar(16) not null default 'hr', "deactivated_reason" varchar(64) null, "role_sync_state" jsonb null, "last_synced_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "hr_user" add constraint "hr_user_entra_id_unique" unique ("entra_id");`);
    this.addSql(`create unique index "hr_user_email_lower_unique" on "hr_user" (lower("email"));`);

    this.addSql(`create table "employee_profile" ("id" uuid not null default gen_random_uuid(), "hr_user_id" uuid null, "email" varchar(320) not null, "first_name" varchar(128) not null, "last_name" varchar(128) not null, "job_title" varchar(128) null, "department" varchar(128) null, "office_location" varchar(128) null, "employee_number" varchar(64) null, "hire_date" date null, "resignation_date" date null, "employment_status" varchar(16) not null default 'active', "manager_profile_id" uuid null, "mobile_phone" varchar(64) null, "business_phone" varchar(64) null, "city" varchar(128) null, "custom_fields" jsonb not null default '{}', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "employee_profile" add constraint "employee_profile_hr_user_id_unique" unique ("hr_user_id");`);
    this.addSql(`create unique index "employee_profile_email_lower_unique" on "employee_profile" (lower("email"));`);

    this.addSql(`create table "api_token" ("id" uuid not null default gen_random_uuid(), "token_hash" varchar(64) not null, "hr_user_id" uuid not null, "name" varchar(128) not null, "created_at" timestamptz not null default now(), "last_used_at" timestamptz null, "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "api_token" add constraint "api_token_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "integration_settings" ("id" int not null, "auto_sync" boolean not null default true, "sync_interval" varchar(32) not null default '30 minutes', "full_reconciliation_interval" varchar(32) not null default '7 days', "follow_nested_groups" boolean not null default true, "never_synced_policy" varchar(16) not null default 'leave-alone', "guard_threshold" double precision not null default 0.1, "role_sync" boolean not null default false, "write_back_update" boolean not null default false, "write_back_create" boolean not null default false, "write_back_delete" boolean not null default false, "write_back_fields" jsonb not null default '[]', "calendar_sync" boolean not null default false, "invitations" boolean not null default false, "attribute_mapping" jsonb not null default '[]', "field_owners" jsonb not null default '{}', "notify_email" varchar(320) null, "notify_webhook_url" varchar(2048) null, "notify_webhook_secret_encrypted" text null, "updated_at" timestamptz not null default now(), primary key ("id"));`);

    this.addSql(`create table "role" ("id" uuid not null default gen_random_uuid(), "name" varchar(128) not null, "protected" boolean not null default false, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "role" add constraint "role_name_unique" unique ("name");`);

    this.addSql(`create table "group_role_mapping" ("id" uuid not null default gen_random_uuid(), "entra_group_id" varchar(64) not null, "group_display_name" varchar(256) not null, "role_id" uuid not null, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "group_role_mapping" add constraint "group_role_mapping_entra_group_id_role_id_unique" unique ("entra_group_id", "role_id");`);

    this.addSql(`create table "synced_group" ("entra_group_id" varchar(64) not null, "display_name" varchar(256) not null, "added_at" timestamptz not null default now(), primary key ("entra_group_id"));`);

    this.addSql(`create table "sync_run" ("id" uuid not null default gen_random_uuid(), "trigger" varchar(16) not null, "mode" varchar(16) not null, "status" varchar(32) not null, "started_at" timestamptz not null default now(), "finished_at" timestamptz null, "counts" jsonb not null, "progress" jsonb not null, "error" text null, "triggered_by" uuid null, primary key ("id"));`);
    this.addSql(`create index "sync_run_started_at_index" on "sync_run" ("started_at");`);

    this.addSql(`create table "sync_run_outcome" ("id" bigserial primary key, "run_id" uuid not null, "hr_user_id" uuid null, "entra_id" varchar(64) null, "email" varchar(320) null, "outcome" varchar(16) not null, "changes" jsonb not null default '[]', "reason" text null);`);
    this.addSql(`create index "sync_run_outcome_run_id_outcome_index" on "sync_run_outcome" ("run_id", "outcome");`);

    this.addSql(`create table "user_role" ("hr_user_id" uuid not null, "role_id" uuid not null, "granted_by" varchar(16) not null default 'hr', "granted_at" timestamptz not null default now(), primary key ("hr_user_id", "role_id"));`);

    this.addSql(`alter table "employee_profile" add constraint "employee_profile_hr_user_id_foreign" foreign key ("hr_user_id") references "hr_user" ("id") on delete set null;`);

    this.addSql(`alter table "api_token" add constraint "api_token_hr_user_id_foreign" foreign key ("hr_user_id") references "hr_user" ("id") on delete cascade;`);

    this.addSql(`alter table "group_role_mapping" add constraint "group_role_mapping_role_id_foreign" foreign key ("role_id") references "role" ("id") on delete cascade;`);

    this.addSql(`alter table "sync_run_outcome" add constraint "sync_run_outcome_run_id_foreign" foreign key ("run_id") references "sync_run" ("id") on delete cascade;`);

    this.addSql(`alter table "user_role" add constraint "user_role_hr_user_id_foreign" foreign key ("hr_user_id") references "hr_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "user_role" add constraint "user_role_role_id_foreign" foreign key ("role_id") references "role" ("id") on update cascade on delete cascade;`);
    // The settings row every installation has, and the administrator role role sync never touches (rule 5.3).
    this.addSql(`insert into "integration_settings" ("id") values (1);`);
    this.addSql(`insert into "role" ("name", "protected") values ('Administrator', true);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "employee_profile" drop constraint "employee_profile_hr_user_id_foreign";`);
    this.addSql(`alter table "api_token" drop constraint "api_token_hr_user_id_foreign";`);
    this.addSql(`alter table "user_role" drop constraint "user_role_hr_user_id_foreign";`);
    this.addSql(`alter table "group_role_mapping" drop constraint "group_role_mapping_role_id_foreign";`);
    this.addSql(`alter table "user_role" drop constraint "user_role_role_id_foreign";`);
    this.addSql(`alter table "sync_run_outcome" drop constraint "sync_run_outcome_run_id_foreign";`);

    this.addSql(`drop table if exists "audit_log" cascade;`);
    this.addSql(`drop table if exists "delta_cursor" cascade;`);
    this.addSql(`drop table if exists "entra_connection" cascade;`);
    this.addSql(`drop table if exists "hr_user" cascade;`);
    this.addSql(`drop table if exists "employee_profile" cascade;`);
    this.addSql(`drop table if exists "api_token" cascade;`);
    this.addSql(`drop table if exists "integration_settings" cascade;`);
    this.addSql(`drop table if exists "role" cascade;`);
    this.addSql(`drop table if exists "group_role_mapping" cascade;`);
    this.addSql(`drop table if exists "synced_group" cascade;`);
    this.addSql(`drop table if exists "sync_run" cascade;`);
    this.addSql(`drop table if exists "sync_run_outcome" cascade;`);
    this.addSql(`drop table if exists "user_role" cascade;`);
  }

}
