import { describe, it, expect } from '@jest/globals';
import { evaluateFilter } from '../../../src/emulator/odata/filter-evaluator.js';
import { parseFilter } from '../../../src/emulator/odata/filter-parser.js';
import { checkFilter } from '../../../src/emulator/odata/filter-rules.js';

/** Table from "Advanced query capabilities" as summarised in docs/graph.md §2.3: [filter, default?, advanced?]. */
const USER_FILTERS: [string, boolean, boolean][] = [
  ["mail eq 'a@contoso.com'", true, true],
  ["userPrincipalName eq 'a@contoso.com'", true, true],
  ["id in ('1','2')", true, true],
  ["startswith(displayName,'Ad')", true, true],
  ['accountEnabled eq false', true, true],
  ["employeeId eq '100001'", true, true],
  ["endswith(mail,'@contoso.com')", false, true],
  ["department ne 'Sales'", false, true],
  ["not(startswith(displayName,'A'))", false, true],
  ["companyName eq 'Contoso'", false, true],
  ["onPremisesExtensionAttributes/extensionAttribute1 eq 'CC-1'", false, true],
  ['employeeHireDate ge 2020-01-01T00:00:00Z', false, true],
  ["endswith(displayName,'x')", false, false],
  ["favouriteColour eq 'blue'", false, false],
];

describe('user $filter capabilities', () => {
  it.each(USER_FILTERS)('%s: default %s, advanced %s', (filter, byDefault, advanced) => {
    const node = parseFilter(filter);
    expect(checkFilter(node, 'User', false) === undefined).toBe(byDefault);
    expect(checkFilter(node, 'User', true) === undefined).toBe(advanced);
  });

  it('answers the refusals with 400 Request_UnsupportedQuery', () => {
    const refused = checkFilter(parseFilter("endswith(mail,'x')"), 'User', false);
    expect(refused?.status).toBe(400);
    expect((refused?.body as { error: { code: string } }).error.code).toBe('Request_UnsupportedQuery');
  });
});

describe('filter evaluation', () => {
  const user = {
    displayName: "Renée O'Brien",
    mail: 'Renee.OBrien@contoso.com',
    accountEnabled: true,
    businessPhones: ['+1'],
    onPremisesExtensionAttributes: { extensionAttribute1: 'CC-1' },
    employeeHireDate: '2021-03-01T00:00:00Z',
  };
  it.each([
    ["mail eq 'renee.obrien@CONTOSO.com'", true],
    ["startswith(displayName,'renée')", true],
    ["displayName eq 'Renée O''Brien'", true],
    ["accountEnabled eq true and mail eq 'x'", false],
    ["accountEnabled eq true or mail eq 'x'", true],
    ['jobTitle eq null', true],
    ["onPremisesExtensionAttributes/extensionAttribute1 eq 'CC-1'", true],
    ['employeeHireDate ge 2020-01-01T00:00:00Z', true],
    ["not(startswith(mail,'r'))", false],
  ])('%s → %s', (filter, expected) => {
    expect(evaluateFilter(parseFilter(filter), user)).toBe(expected);
  });

  it('rejects malformed filters', () => {
    expect(() => parseFilter("mail eq 'open")).toThrow();
    expect(() => parseFilter('mail wibble 3')).toThrow();
  });
});
