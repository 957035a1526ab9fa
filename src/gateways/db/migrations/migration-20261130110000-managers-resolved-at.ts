import { Migration } from '@mikro-orm/migrations';

/**
 * When managers were last resolved: the next resolution only looks at HR users written since then
 * and at their reports, instead of joining the whole table after every run.
 */
export class Migration20261130110000_managers_resolved_at extends Migration {
  override name = 'Migration20261130110000_managers_resolved_at';

  override up(): void | Promise<void> {
    this.addSql(`alter table "sync_state" add column "managers_resolved_at" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "sync_state" drop column "managers_resolved_at";`);
  }
}
