import { describe, expect, it } from '@jest/globals';
import {
  applyAttributeMapping,
  BUILT_IN_HR_FIELDS,
  chooseEmail,
  normaliseDate,
  requiredEntraProperties,
  validateCustomMapping,
  type CustomAttributeMapping,
  type MappingErrorCode,
} from '../../../src/domain/attribute-mapping.js';

// An Entra user as a run reads it, the manager expanded under `manager` (rule 2.6).
const entraUser = {
  id: 'e1',
  displayName: 'Megan Bowen',
  givenName: 'Megan',
  surname: 'Bowen',
  mail: 'MeganB@contoso.com',
  userPrincipalName: 'meganb@contoso.onmicrosoft.com',
  jobTitle: 'Marketing Manager',
  department: 'Marketing',
  officeLocation: '12/1110',
  employeeId: '1042',
  employeeHireDate: '2021-04-01T00:00:00Z',
  mobilePhone: '+1 412 555 0109',
  businessPhones: ['+1 858 555 0111', '+1 858 555 0112'],
  city: 'Pittsburgh',
  accountEnabled: true,
  manager: { id: 'e9', mail: 'Patti@contoso.com', employeeId: '1001' },
  onPremisesExtensionAttributes: { extensionAttribute3: 'CC-7', extensionAttribute4: null },
  employeeOrgData: { division: 'Sales', costCenter: '400' },
  otherMails: ['m@fabrikam.com', 'megan@fabrikam.com'],
};

describe('applyAttributeMapping: the default mapping', () => {
  it('maps every default property to its HR field', () => {
    expect(applyAttributeMapping(entraUser)).toEqual({
      fields: {
        entraId: 'e1',
        firstName: 'Megan',
        lastName: 'Bowen',
        displayName: 'Megan Bowen',
        email: 'MeganB@contoso.com',
        jobTitle: 'Marketing Manager',
        department: 'Marketing',
        officeLocation: '12/1110',
        employeeNumber: '1042',
        hireDate: '2021-04-01',
        mobilePhone: '+1 412 555 0109',
        businessPhone: '+1 858 555 0111',
        city: 'Pittsburgh',
        active: true,
        managerEntraId: 'e9',
        managerEmail: 'Patti@contoso.com',
        managerEmployeeNumber: '1001',
      },
      custom: {},
      problems: [],
    });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    [
      'a missing property is null',
      { jobTitle: undefined, manager: undefined },
      { jobTitle: null, managerEntraId: null },
    ],
    ['blank text is null, text is trimmed', { department: '  ', city: ' Oslo ' }, { department: null, city: 'Oslo' }],
    ['no business phones', { businessPhones: [] }, { businessPhone: null }],
    ['the first non-empty business phone', { businessPhones: ['', '+47 1'] }, { businessPhone: '+47 1' }],
    ['a disabled account', { accountEnabled: false }, { active: false }],
    ['no account flag', { accountEnabled: undefined }, { active: null }],
    ['no mail: the user principal name', { mail: null }, { email: 'meganb@contoso.onmicrosoft.com' }],
    ['no hire date', { employeeHireDate: null }, { hireDate: null }],
    ['an account flag that is not a boolean', { accountEnabled: 'true' }, { active: null }],
    ['a number is text', { employeeId: 1042 }, { employeeNumber: '1042' }],
    ['a structure is no text', { jobTitle: { name: 'x' } }, { jobTitle: null }],
    ['one business phone given as text', { businessPhones: ' +47 2 ' }, { businessPhone: '+47 2' }],
    ['only blank business phones', { businessPhones: [' ', ''] }, { businessPhone: null }],
    ['blank mail: the user principal name', { mail: '   ' }, { email: 'meganb@contoso.onmicrosoft.com' }],
    ['no manager', { manager: null }, { managerEntraId: null, managerEmail: null, managerEmployeeNumber: null }],
    [
      'a hire date with an offset keeps its written day',
      { employeeHireDate: '2021-04-01T00:00:00+02:00' },
      { hireDate: '2021-04-01' },
    ],
  ])('%s', (_name, change, expected) => {
    expect(applyAttributeMapping({ ...entraUser, ...change }).fields).toMatchObject(expected);
  });

  it('reports a hire date that is not a date and leaves it empty', () => {
    const mapped = applyAttributeMapping({ ...entraUser, employeeHireDate: 'next spring' });
    expect(mapped.fields.hireDate).toBeNull();
    expect(mapped.problems).toEqual([{ field: 'hireDate', message: 'Hire date "next spring" is not a date.' }]);
  });
});

describe('applyAttributeMapping: custom fields', () => {
  it.each<[string, string, string | null]>([
    ['an extension attribute', 'onPremisesExtensionAttributes.extensionAttribute3', 'CC-7'],
    ['an empty extension attribute', 'onPremisesExtensionAttributes.extensionAttribute4', null],
    ['a sub-property', 'employeeOrgData.costCenter', '400'],
    ['a top-level property', 'jobTitle', 'Marketing Manager'],
    ['a list of values', 'otherMails', 'm@fabrikam.com, megan@fabrikam.com'],
    ['a property the user does not have', 'extension_abc_badge', null],
    ['a manager property', 'manager.mail', 'Patti@contoso.com'],
    ['a number', 'badgeNumber', '7'],
    ['a boolean', 'isResourceAccount', 'false'],
    ['a list of numbers', 'floors', '3, 4'],
    ['an empty list', 'emptyList', null],
    ['a path through text', 'city.length', null],
    ['a path through null', 'nothing.value', null],
  ])('%s', (_name, source, expected) => {
    const user = {
      ...entraUser,
      badgeNumber: 7,
      isResourceAccount: false,
      floors: [3, 4],
      emptyList: [],
      nothing: null,
    };
    const mapped = applyAttributeMapping(user, [{ source, target: 'custom1' }]);
    expect(mapped.custom).toEqual({ custom1: expected });
    expect(mapped.problems).toEqual([]);
  });

  it('reports a list that holds structures', () => {
    const mapped = applyAttributeMapping({ ...entraUser, identities: [{ issuer: 'x' }] }, [
      { source: 'identities', target: 'ids' },
    ]);
    expect(mapped.custom).toEqual({ ids: null });
    expect(mapped.problems).toEqual([
      {
        field: 'ids',
        message: 'Source "identities" holds a structure, not a value; map one of its properties instead.',
      },
    ]);
  });

  it('maps several custom fields side by side', () => {
    const mapped = applyAttributeMapping(entraUser, [
      { source: 'city', target: 'site' },
      { source: 'employeeOrgData.division', target: 'division' },
    ]);
    expect(mapped.custom).toEqual({ site: 'Pittsburgh', division: 'Sales' });
  });

  it('reports a source that holds a structure', () => {
    const mapped = applyAttributeMapping(entraUser, [{ source: 'employeeOrgData', target: 'org' }]);
    expect(mapped.custom).toEqual({ org: null });
    expect(mapped.problems).toEqual([{ field: 'org', message: expect.stringContaining('employeeOrgData') }]);
  });

  it('does not read inherited properties', () => {
    expect(applyAttributeMapping(entraUser, [{ source: 'constructor', target: 'x' }]).custom).toEqual({ x: null });
  });
});

describe('validateCustomMapping', () => {
  it.each<[string, CustomAttributeMapping[], MappingErrorCode[]]>([
    [
      'a valid mapping',
      [
        { source: 'onPremisesExtensionAttributes.extensionAttribute15', target: 'costCenter' },
        { source: 'extension_b7d8_badge', target: 'badge' },
      ],
      [],
    ],
    ['an empty source', [{ source: '', target: 'a' }], ['invalid-source']],
    ['a source with spaces', [{ source: 'job title', target: 'a' }], ['invalid-source']],
    ['a path too deep', [{ source: 'a.b.c', target: 'a' }], ['invalid-source']],
    ['an OData expression', [{ source: "businessPhones/any(p:p eq '1')", target: 'a' }], ['invalid-source']],
    [
      'extension attribute 16',
      [{ source: 'onPremisesExtensionAttributes.extensionAttribute16', target: 'a' }],
      ['unknown-extension-attribute'],
    ],
    [
      'extension attribute 0',
      [{ source: 'onPremisesExtensionAttributes.extensionAttribute0', target: 'a' }],
      ['unknown-extension-attribute'],
    ],
    [
      'a bare extension attributes object',
      [{ source: 'onPremisesExtensionAttributes', target: 'a' }],
      ['unknown-extension-attribute'],
    ],
    ['a source starting with a digit', [{ source: '1city', target: 'a' }], ['invalid-source']],
    ['a source ending in a dot', [{ source: 'city.', target: 'a' }], ['invalid-source']],
    ['a sub-property with a dash', [{ source: 'employeeOrgData.cost-center', target: 'a' }], ['invalid-source']],
    [
      'an extension attribute with a prefix',
      [{ source: 'onPremisesExtensionAttributes.myextensionAttribute3', target: 'a' }],
      ['unknown-extension-attribute'],
    ],
    [
      'an extension attribute with a suffix',
      [{ source: 'onPremisesExtensionAttributes.extensionAttribute3b', target: 'a' }],
      ['unknown-extension-attribute'],
    ],
    [
      'extension attributes 1, 9 and 10',
      [
        { source: 'onPremisesExtensionAttributes.extensionAttribute1', target: 'a' },
        { source: 'onPremisesExtensionAttributes.extensionAttribute9', target: 'b' },
        { source: 'onPremisesExtensionAttributes.extensionAttribute10', target: 'c' },
      ],
      [],
    ],
    ['a target that is not a key', [{ source: 'city', target: 'Cost center' }], ['invalid-target']],
    ['a target with a dash at the end', [{ source: 'city', target: 'cost-' }], ['invalid-target']],
    ['a target of 63 characters', [{ source: 'city', target: `c${'x'.repeat(62)}` }], []],
    ['a target of 64 characters', [{ source: 'city', target: `c${'x'.repeat(63)}` }], ['invalid-target']],
    ['a target with digits and _', [{ source: 'city', target: 'cost_Center2' }], []],
    ['an empty target', [{ source: 'city', target: '' }], ['invalid-target']],
    [
      'a duplicate target in another case',
      [
        { source: 'city', target: 'siteA' },
        { source: 'officeLocation', target: 'sitea' },
      ],
      ['duplicate-target'],
    ],
    ['both a bad source and a bad target', [{ source: 'a.b.c', target: 'Bad' }], ['invalid-source', 'invalid-target']],
    ['a built-in target', [{ source: 'city', target: 'department' }], ['target-is-built-in']],
    ['a built-in target in another case', [{ source: 'city', target: 'jobtitle' }], ['target-is-built-in']],
    ['the picture as target', [{ source: 'city', target: 'picture' }], ['target-is-built-in']],
    [
      'a duplicate target',
      [
        { source: 'city', target: 'site' },
        { source: 'officeLocation', target: 'Site' },
      ],
      ['invalid-target'],
    ],
    [
      'a duplicate target, same case',
      [
        { source: 'city', target: 'site' },
        { source: 'officeLocation', target: 'site' },
      ],
      ['duplicate-target'],
    ],
  ])('%s', (_name, entries, codes) => {
    expect(validateCustomMapping(entries).map((e) => e.code)).toEqual(codes);
  });

  it('points at the faulty entry', () => {
    expect(
      validateCustomMapping([
        { source: 'city', target: 'site' },
        { source: 'city', target: 'site' },
      ]),
    ).toEqual([{ index: 1, code: 'duplicate-target', message: 'Target "site" is mapped more than once.' }]);
  });

  it.each<[string, CustomAttributeMapping, string]>([
    [
      'invalid-source',
      { source: 'a.b.c', target: 'a' },
      'Source "a.b.c" is not a user property name or a property.subproperty path.',
    ],
    [
      'unknown-extension-attribute',
      { source: 'onPremisesExtensionAttributes.x', target: 'a' },
      'Source "onPremisesExtensionAttributes.x" must name one of extensionAttribute1 to extensionAttribute15.',
    ],
    [
      'invalid-target',
      { source: 'city', target: 'Site' },
      'Target "Site" must start with a lower-case letter and hold only letters, digits and _ (at most 63).',
    ],
    [
      'target-is-built-in',
      { source: 'city', target: 'city' },
      'Target "city" is a built-in HR field; choose another name for a custom field.',
    ],
  ])('explains %s', (code, entry, message) => {
    expect(validateCustomMapping([entry])).toEqual([{ index: 0, code, message }]);
  });

  it('every built-in field is refused as a custom target', () => {
    expect(
      validateCustomMapping(BUILT_IN_HR_FIELDS.map((target) => ({ source: 'city', target }))).every(
        (e) => e.code === 'target-is-built-in',
      ),
    ).toBe(true);
  });
});

describe('requiredEntraProperties', () => {
  it("reads the default properties and the manager's id, e-mail and employee id (2.6)", () => {
    const required = requiredEntraProperties();
    expect([...required.user].sort()).toEqual([
      'accountEnabled',
      'businessPhones',
      'city',
      'department',
      'displayName',
      'employeeHireDate',
      'employeeId',
      'givenName',
      'id',
      'jobTitle',
      'mail',
      'mobilePhone',
      'officeLocation',
      'surname',
      'userPrincipalName',
    ]);
    expect(required.manager).toEqual(['id', 'mail', 'employeeId']);
  });

  it('adds the top-level property of each custom source, once', () => {
    const required = requiredEntraProperties([
      { source: 'onPremisesExtensionAttributes.extensionAttribute3', target: 'a' },
      { source: 'onPremisesExtensionAttributes.extensionAttribute4', target: 'b' },
      { source: 'manager.department', target: 'c' },
      { source: 'city', target: 'd' },
    ]);
    expect(required.user.filter((p) => p === 'onPremisesExtensionAttributes')).toHaveLength(1);
    expect(required.user.filter((p) => p === 'city')).toHaveLength(1);
    expect(required.manager).toContain('department');
    expect(required.user).not.toContain('manager');
  });

  it('reads the whole manager when a custom source names it without a property', () => {
    const required = requiredEntraProperties([{ source: 'manager', target: 'boss' }]);
    expect(required.user).toContain('manager');
    expect(required.manager).toEqual(['id', 'mail', 'employeeId']);
  });
});

describe('chooseEmail', () => {
  it.each<[string | null, string | null, string | null]>([
    ['megan@contoso.com', 'megan@contoso.onmicrosoft.com', 'megan@contoso.com'],
    [' megan@contoso.com ', null, 'megan@contoso.com'],
    [null, 'megan@contoso.onmicrosoft.com', 'megan@contoso.onmicrosoft.com'],
    ['', 'megan@contoso.com', 'megan@contoso.com'],
    [null, 'megan_fabrikam.com#EXT#@contoso.onmicrosoft.com', null],
    [null, 'not-an-address', null],
    [null, null, null],
    ['   ', 'megan@contoso.com', 'megan@contoso.com'],
    [null, ' megan@contoso.com ', 'megan@contoso.com'],
    [null, '', null],
  ])('mail %j, principal name %j -> %j', (mail, upn, expected) => {
    expect(chooseEmail(mail, upn)).toBe(expected);
  });
});

describe('normaliseDate', () => {
  it.each<[unknown, string | null | undefined]>([
    ['2021-04-01', '2021-04-01'],
    ['2021-04-01T00:00:00Z', '2021-04-01'],
    ['2021-03-31T22:00:00.000Z', '2021-03-31'],
    ['2024-02-29T00:00:00Z', '2024-02-29'],
    [null, null],
    [undefined, null],
    ['', null],
    [' 2021-04-01 ', '2021-04-01'],
    ['2021-04-01X', undefined],
    ['2023-02-29T00:00:00Z', undefined],
    ['2021-4-1', undefined],
    ['2021-04-01 00:00', undefined],
    ['01/04/2021', undefined],
    [20210401, undefined],
  ])('%j -> %j', (value, expected) => {
    expect(normaliseDate(value)).toBe(expected);
  });
});
