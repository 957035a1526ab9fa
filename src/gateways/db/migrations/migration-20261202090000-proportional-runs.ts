import { Migration } from '@mikro-orm/migrations';

/**
 * What lets a run with few changes cost what changed, not what the tenant holds (rule 8.6):
 * - nested groups are found through an index of the group-in-group edges only, not by reading every
 *   membership;
 * - manager links are resolved for the HR users written since the last resolution (an index on
 *   last_synced_at) and their reports (an index on manager_entra_id);
 * - rule 3.2's look at inactive HR users covers those changed since the last look
 *   (`sync_state.reactivations_checked_at`, an index on last_changed_at of the inactive linked users),
 *   instead of every inactive user at every run.
 */
export class Migration20261202090000_proportional_runs extends Migration {

  override name = 'Migration20261202090000_proportional_runs';

  override up(): void | Promise<void> {
    this.addSql(`create index "entra_group_member_nested_index" on "entra_group_member" ("group_id") where "member_type" = 'group';`);
    this.addSql(`create index "hr_user_last_synced_at_index" on "hr_user" ("last_synced_at");`);
    this.addSql(`create index "hr_user_manager_entra_id_index" on "hr_user" ("manager_entra_id");`);
    this.addSql(`drop index if exists "hr_user_inactive_entra_id_index";`);
    this.addSql(`create index "hr_user_inactive_changed_index" on "hr_user" ("last_changed_at") where not "active" and "entra_id" is not null;`);
    this.addSql(`alter table "sync_state" add column "reactivations_checked_at" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "sync_state" drop column "reactivations_checked_at";`);
    this.addSql(`drop index if exists "hr_user_inactive_changed_index";`);
    this.addSql(`create index "hr_user_inactive_entra_id_index" on "hr_user" ("entra_id") where not "active" and "entra_id" is not null;`);
    this.addSql(`drop index if exists "hr_user_manager_entra_id_index";`);
    this.addSql(`drop index if exists "hr_user_last_synced_at_index";`);
    this.addSql(`drop index if exists "entra_group_member_nested_index";`);
  }

}
