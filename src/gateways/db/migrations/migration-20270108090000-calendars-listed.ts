import { Migration } from '@mikro-orm/migrations';

/**
 * When each mailbox's calendars were last listed from Graph: a scheduled poll lists them at most
 * hourly and otherwise reads only the enabled calendars' delta cursors (docs/rules.md §6.10).
 */
export class Migration20270108090000_calendars_listed extends Migration {

  override name = 'Migration20270108090000_calendars_listed';

  override up(): void | Promise<void> {
    this.addSql(`alter table "calendar_mailbox" add column "calendars_listed_at" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "calendar_mailbox" drop column "calendars_listed_at";`);
  }

}
