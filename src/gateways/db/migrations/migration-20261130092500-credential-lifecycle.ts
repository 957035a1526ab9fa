import { Migration } from '@mikro-orm/migrations';

/**
 * API token lifecycle (expiry, why a token was revoked, which one is the configured bootstrap
 * token) and the audit log's lookup by target.
 */
export class Migration20261130092500_credential_lifecycle extends Migration {

  override name = 'Migration20261130092500_credential_lifecycle';

  override up(): void | Promise<void> {
    this.addSql(`alter table "api_token" add column "expires_at" timestamptz null, add column "revoked_reason" varchar(32) null, add column "bootstrap" boolean not null default false;`);
    this.addSql(`update "api_token" set "bootstrap" = true where "name" = 'bootstrap' and "hr_user_id" in (select "id" from "hr_user" where lower("email") = 'admin@localhost');`);
    this.addSql(`update "api_token" set "revoked_reason" = 'revoked' where "revoked_at" is not null;`);
    this.addSql(`create index "api_token_hr_user_id_index" on "api_token" ("hr_user_id");`);
    this.addSql(`create index "audit_log_target_action_index" on "audit_log" ("target", "action");`);
    // Every way an HR user is deactivated (by an admin, by a sync run, by a confirmed held run)
    // revokes the user's tokens, so a later reactivation never brings old tokens back to life.
    this.addSql(`create function "revoke_tokens_of_deactivated_user"() returns trigger language plpgsql as $$
      begin
        update api_token set revoked_at = now(), revoked_reason = 'user-deactivated' where hr_user_id = new.id and revoked_at is null;
        return null;
      end $$;`);
    this.addSql(`create trigger "hr_user_deactivation_revokes_tokens" after update of "active" on "hr_user"
      for each row when (old.active and not new.active) execute function "revoke_tokens_of_deactivated_user"();`);
    // Tokens of users who are inactive now were already unusable: say why.
    this.addSql(`update "api_token" t set "revoked_at" = now(), "revoked_reason" = 'user-deactivated' from "hr_user" u where u."id" = t."hr_user_id" and not u."active" and t."revoked_at" is null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "hr_user_deactivation_revokes_tokens" on "hr_user";`);
    this.addSql(`drop function if exists "revoke_tokens_of_deactivated_user"();`);
    this.addSql(`drop index if exists "audit_log_target_action_index";`);
    this.addSql(`drop index if exists "api_token_hr_user_id_index";`);
    this.addSql(`alter table "api_token" drop column "expires_at", drop column "revoked_reason", drop column "bootstrap";`);
  }

}
