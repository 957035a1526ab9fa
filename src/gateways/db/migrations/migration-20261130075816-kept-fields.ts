import { Migration } from '@mikro-orm/migrations';

/** Rule 2.8: per HR user, the Entra values HR kept its own values over when the user was matched by e-mail. */
export class Migration20261130075816_kept_fields extends Migration {

  override name = 'Migration20261130075816_kept_fields';

  override up(): void | Promise<void> {
    this.addSql(`alter table "hr_user" add column "kept_fields" jsonb not null default '{}';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "hr_user" drop column "kept_fields";`);
  }

}
