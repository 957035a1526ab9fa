import { Migration } from '@mikro-orm/migrations';

/**
 * Write-back of creations (docs/rules.md §4.2): the verified domain the admin chose for the user
 * principal names of users created in Entra, and the synced group they are added to (optional).
 */
export class Migration20261231090000_write_back_create extends Migration {

  override name = 'Migration20261231090000_write_back_create';

  override up(): void | Promise<void> {
    this.addSql(`alter table "integration_settings" add column "write_back_create_domain" varchar(255) null, add column "write_back_create_group_id" varchar(64) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "integration_settings" drop column "write_back_create_domain", drop column "write_back_create_group_id";`);
  }

}
