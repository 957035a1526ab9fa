import { Migration } from '@mikro-orm/migrations';

/** The tables whose changes can change who a bearer token is (src/application/principal-cache.ts). */
const PRINCIPAL_CHANGES = [
  ['api_token', 'update of token_hash, scope, hr_user_id, revoked_at, expires_at or delete or truncate'],
  ['hr_user', 'update of email, active or delete or truncate'],
  ['user_role', 'insert or update or delete or truncate'],
  ['role', 'update of name, protected or delete or truncate'],
] as const;

/** The statement trigger of one table (its entity declares the same). */
const principalChangeTrigger = (table: string, events: string) =>
  `create trigger "${table}_principal_change" after ${events} on "${table}" for each statement execute function "principal_change_notify"()`;

/**
 * Every change that can change a token's holder, roles or validity notifies the channel
 * ehc_principals when it commits, so each instance forgets the principals it cached. A statement
 * trigger notifies once per statement (and PostgreSQL folds equal notifications of a transaction
 * into one, https://www.postgresql.org/docs/current/sql-notify.html); a TRUNCATE notifies too.
 */
export class Migration20270106090000_principal_changes extends Migration {

  override name = 'Migration20270106090000_principal_changes';

  override up(): void | Promise<void> {
    this.addSql(`create function "principal_change_notify"() returns trigger language plpgsql as $$
      begin
        perform pg_notify('ehc_principals', '');
        return null;
      end $$;`);
    for (const [table, events] of PRINCIPAL_CHANGES) this.addSql(`${principalChangeTrigger(table, events)};`);
  }

  override down(): void | Promise<void> {
    for (const [table] of PRINCIPAL_CHANGES) this.addSql(`drop trigger if exists "${table}_principal_change" on "${table}";`);
    this.addSql(`drop function if exists "principal_change_notify"();`);
  }

}
