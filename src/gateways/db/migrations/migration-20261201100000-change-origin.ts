import { Migration } from '@mikro-orm/migrations';

/**
 * Every change of an HR user records where it came from ('entra', 'hr', 'scim') and when, so that
 * write-back can suppress the echo of a change it read from Entra. Rows written before this
 * migration count as HR's, with no time.
 */
export class Migration20261201100000_change_origin extends Migration {

  override name = 'Migration20261201100000_change_origin';

  override up(): void | Promise<void> {
    this.addSql(`alter table "hr_user" add column "last_change_origin" text not null default 'hr', add column "last_changed_at" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "hr_user" drop column "last_change_origin", drop column "last_changed_at";`);
  }

}
