import { Migration } from '@mikro-orm/migrations';

/**
 * HR's recurring events (docs/rules.md §6.7): an HR event may be a series, with its recurrence and
 * the occurrences HR deleted (each with its Microsoft 365 id, until the deletion reaches it there).
 */
export class Migration20261230090000_hr_event_series extends Migration {

  override name = 'Migration20261230090000_hr_event_series';

  override up(): void | Promise<void> {
    this.addSql(`alter table "hr_event" add column "recurrence" jsonb null, add column "cancelled_occurrences" jsonb not null default '[]';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "hr_event" drop column "recurrence", drop column "cancelled_occurrences";`);
  }

}
