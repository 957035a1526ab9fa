import { Migration } from '@mikro-orm/migrations';

/** Rule 3.2 at every run: the inactive HR users linked to Entra, found without scanning every HR user. */
export class Migration20261130090117_inactive_users_index extends Migration {

  override name = 'Migration20261130090117_inactive_users_index';

  override up(): void | Promise<void> {
    this.addSql(`create index "hr_user_inactive_entra_id_index" on "hr_user" ("entra_id") where not "active" and "entra_id" is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "hr_user_inactive_entra_id_index";`);
  }

}
