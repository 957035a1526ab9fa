/*
 * A SCIM query plan (src/scim/scim-filter.ts) -> a parameterised SQL condition. Every attribute of
 * the plan comes from the allow-list, and each has exactly one column (or set of values) here; the
 * values only ever travel as parameters. Text compares case-insensitively unless the attribute is
 * caseExact (RFC 7643 section 2.3.1), through lower() on both sides so that the expression indexes
 * (lower(coalesce(scim_user_name, email)), lower(display_name)) answer Entra's `eq` look-ups.
 */
import { HR_FIELDS, isHrField } from '../../domain/hr-field.catalogue.js';
import { GROUP_FILTER, USER_FILTER } from '../../scim/filter-attributes.js';
import type { CompareOp, FilterAllowList, QueryPlan } from '../../scim/scim-filter.js';
import { columnOf } from './hr-columns.js';
import { escapeLike, LIKE_ESCAPE } from './like-pattern.js';

type ColumnType = 'text' | 'boolean' | 'timestamptz' | 'uuid';

/** One value per row, or a set of values (`select ... as v`) of which any may match. */
export type FilterColumn =
  | { readonly kind: 'value'; readonly sql: string; readonly type: ColumnType }
  | { readonly kind: 'any'; readonly sql: string; readonly type: ColumnType };

export type FilterColumns = Readonly<Record<string, FilterColumn>>;

export interface SqlCondition {
  sql: string;
  params: unknown[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ORDER: Record<'gt' | 'ge' | 'lt' | 'le', string> = { gt: '>', ge: '>=', lt: '<', le: '<=' };

const value = (sql: string, type: ColumnType = 'text'): FilterColumn => ({ kind: 'value', sql, type });

/** The e-mails a push sent, kept as sent beside the HR user (src/scim/scim-user.mapping.ts). */
const PUSHED_EMAILS = `jsonb_array_elements(case when jsonb_typeof(u.scim_attributes->'emails') = 'array' then u.scim_attributes->'emails' else '[]'::jsonb end) e`;

/**
 * The HR user `u`: its SCIM identity, its catalogued fields, every e-mail it has. The work e-mail is
 * HR's login or the one a push sent last (they differ once Entra changed it: docs/rules.md 7.2).
 */
export const USER_COLUMNS: FilterColumns = columnsFor(USER_FILTER, {
  id: value('u.id', 'uuid'),
  userName: value('coalesce(u.scim_user_name, u.email)'),
  externalId: value('u.scim_external_id'),
  manager: value('u.manager_id', 'uuid'),
  anyEmail: {
    kind: 'any',
    sql: `select u.email union all select e->>'value' from ${PUSHED_EMAILS}`,
    type: 'text',
  },
  email: {
    kind: 'any',
    sql: `select u.email union all select e->>'value' from ${PUSHED_EMAILS} where e->>'type' = 'work'`,
    type: 'text',
  },
  created: value('u.created_at', 'timestamptz'),
  lastModified: value('u.updated_at', 'timestamptz'),
  active: value('u.active', 'boolean'),
});

/** The pushed group `g`. */
export const GROUP_COLUMNS: FilterColumns = columnsFor(GROUP_FILTER, {
  id: value('g.id', 'uuid'),
  displayName: value('g.display_name'),
  externalId: value('g.external_id'),
  member: { kind: 'any', sql: 'select m.hr_user_id from scim_group_member m where m.group_id = g.id', type: 'uuid' },
  created: value('g.created_at', 'timestamptz'),
  lastModified: value('g.updated_at', 'timestamptz'),
});

/** Every key of the allow-list gets its column: an HR field its catalogued column, the rest as given. */
function columnsFor(allow: FilterAllowList, own: Record<string, FilterColumn>): FilterColumns {
  const columns: Record<string, FilterColumn> = {};
  for (const { key } of allow.attributes.values()) {
    const column =
      own[key] ??
      (isHrField(key) && HR_FIELDS[key].type === 'text' ? value(`u.${columnOf(key, 'hrUser')}`) : undefined);
    if (!column) throw new Error(`the SCIM filter attribute ${key} has no column`);
    columns[key] = column;
  }
  return columns;
}

export function filterSql(plan: QueryPlan, columns: FilterColumns): SqlCondition {
  const params: unknown[] = [];
  const sql = condition(plan, columns, params);
  return { sql, params };
}

function condition(plan: QueryPlan, columns: FilterColumns, params: unknown[]): string {
  switch (plan.kind) {
    case 'and':
    case 'or':
      return `(${plan.parts.map((part) => condition(part, columns, params)).join(` ${plan.kind} `)})`;
    case 'not':
      return `(not coalesce(${condition(plan.part, columns, params)}, false))`;
    case 'present':
      return overColumn(columns[plan.attribute.key]!, (e, type) => present(e, type));
    case 'compare': {
      const column = columns[plan.attribute.key]!;
      const { op, value: v } = plan;
      const caseExact = plan.attribute.caseExact;
      // `ne` over a set of values: none of them is equal.
      if (column.kind === 'any' && op === 'ne')
        return `(not ${overColumn(column, (e, type) => compare(e, type, 'eq', v, caseExact, params))})`;
      return overColumn(column, (e, type) => compare(e, type, op, v, caseExact, params));
    }
  }
}

function overColumn(column: FilterColumn, test: (expression: string, type: ColumnType) => string): string {
  if (column.kind === 'value') return test(column.sql, column.type);
  return `exists (select 1 from (${column.sql}) as a(v) where ${test('a.v', column.type)})`;
}

function present(e: string, type: ColumnType): string {
  return type === 'text' ? `(${e} is not null and ${e} <> '')` : `(${e} is not null)`;
}

function compare(
  e: string,
  type: ColumnType,
  op: CompareOp,
  v: string | boolean | null,
  caseExact: boolean,
  params: unknown[],
): string {
  if (v === null) return op === 'eq' ? `(not ${present(e, type)})` : present(e, type);
  if (type === 'boolean') {
    params.push(v);
    return op === 'eq' ? `(${e} = ?)` : `(${e} is distinct from ?)`;
  }
  if (type === 'uuid' && (op === 'eq' || op === 'ne')) {
    // A value that is no uuid equals no id.
    if (typeof v !== 'string' || !UUID.test(v)) return op === 'eq' ? 'false' : 'true';
    params.push(v);
    return op === 'eq' ? `(${e} = ?::uuid)` : `(${e} is null or ${e} <> ?::uuid)`;
  }
  if (type === 'timestamptz') {
    params.push(v);
    if (op === 'eq') return `(${e} = ?::timestamptz)`;
    if (op === 'ne') return `(${e} is null or ${e} <> ?::timestamptz)`;
    return `(${e} ${ORDER[op as keyof typeof ORDER]} ?::timestamptz)`;
  }
  const text = type === 'uuid' ? `${e}::text` : e;
  const fold = (x: string) => (caseExact ? x : `lower(${x})`);
  switch (op) {
    case 'eq':
      params.push(v);
      return `(${fold(text)} = ${fold('?')})`;
    case 'ne':
      params.push(v);
      return `(${text} is null or ${fold(text)} <> ${fold('?')})`;
    case 'co':
    case 'sw':
    case 'ew': {
      const escaped = escapeLike(String(v));
      params.push(op === 'sw' ? `${escaped}%` : op === 'ew' ? `%${escaped}` : `%${escaped}%`);
      return `(${fold(text)} like ${fold('?')} ${LIKE_ESCAPE})`;
    }
    default:
      params.push(v);
      return `(${fold(text)} ${ORDER[op]} ${fold('?')})`;
  }
}
