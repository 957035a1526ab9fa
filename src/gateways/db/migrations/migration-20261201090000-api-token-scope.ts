import { Migration } from '@mikro-orm/migrations';

/**
 * Which surface an API token opens: `api` (the admin API and /api/me, every token so far) or
 * `scim` (the SCIM endpoint Entra's provisioning service calls). A token opens one surface only.
 */
export class Migration20261201090000_api_token_scope extends Migration {

  override name = 'Migration20261201090000_api_token_scope';

  override up(): void | Promise<void> {
    this.addSql(`alter table "api_token" add column "scope" varchar(16) not null default 'api';`);
    this.addSql(`alter table "api_token" add constraint "api_token_scope_check" check ("scope" in ('api', 'scim'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "api_token" drop constraint "api_token_scope_check";`);
    this.addSql(`alter table "api_token" drop column "scope";`);
  }

}
