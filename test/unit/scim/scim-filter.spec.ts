import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { GROUP_FILTER, USER_FILTER } from '../../../src/scim/filter-attributes.js';
import { quoteBareValues } from '../../../src/scim/filter-text.js';
import { ScimError } from '../../../src/scim/scim-error.js';
import { planFilter, type QueryPlan } from '../../../src/scim/scim-filter.js';

interface FilterCase {
  name: string;
  resource: 'User' | 'Group';
  filter: string;
  plan?: string;
  error?: string;
}

const cases = JSON.parse(readFileSync(new URL('./fixtures/filters.json', import.meta.url), 'utf8')) as FilterCase[];

/** A plan as short text: op(key, value), a key marked ! when compared case-exactly. */
function describePlan(plan: QueryPlan): string {
  switch (plan.kind) {
    case 'and':
    case 'or':
      return `${plan.kind}(${plan.parts.map(describePlan).join(', ')})`;
    case 'not':
      return `not(${describePlan(plan.part)})`;
    case 'present':
      return `pr(${plan.attribute.key})`;
    case 'compare':
      return `${plan.op}(${plan.attribute.key}${plan.attribute.caseExact ? '!' : ''}, ${JSON.stringify(plan.value)})`;
  }
}

function scimTypeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return `${error.status} ${error.scimType}`;
    throw error;
  }
  return undefined;
}

/** Filters (RFC 7644 section 3.4.2.2) as Entra, Microsoft's collections and the RFC write them -> query plans. */
describe('SCIM filter -> query plan', () => {
  it.each(cases.filter((c) => c.plan).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const allow = c.resource === 'User' ? USER_FILTER : GROUP_FILTER;
    expect(describePlan(planFilter(c.filter, allow))).toBe(c.plan);
  });

  it.each(cases.filter((c) => c.error).map((c) => [c.name, c] as const))('refuses %s', (_name, c) => {
    const allow = c.resource === 'User' ? USER_FILTER : GROUP_FILTER;
    expect(scimTypeOf(() => planFilter(c.filter, allow))).toBe(`400 ${c.error}`);
  });

  it('quotes bare values after an operator, never inside a quoted string', () => {
    expect(quoteBareValues('externalId eq jyoung and title eq "a eq b" and x gt 3')).toBe(
      'externalId eq "jyoung" and title eq "a eq b" and x gt 3',
    );
    expect(quoteBareValues('emails[type eq work].value eq x@y')).toBe('emails[type eq "work"].value eq "x@y"');
    expect(quoteBareValues('active eq true and title eq null')).toBe('active eq true and title eq null');
  });

  it('names the attribute it cannot filter on', () => {
    expect(() => planFilter('nickName eq "x"', USER_FILTER)).toThrow(/"nickName" is not supported/);
  });

  it('refuses a filter longer than 4096 characters', () => {
    expect(scimTypeOf(() => planFilter(`userName eq "${'x'.repeat(4100)}"`, USER_FILTER))).toBe('400 invalidFilter');
  });
});
