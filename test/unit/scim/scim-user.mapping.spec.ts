import { describe, expect, it } from '@jest/globals';
import { HR_FIELDS } from '../../../src/domain/hr-field.catalogue.js';
import type { ScimError } from '../../../src/scim/scim-error.js';
import { readResourceBody } from '../../../src/scim/scim-resource.js';
import { project, readListQuery, listResponse } from '../../../src/scim/scim-list.js';
import { USER_RESOURCE } from '../../../src/scim/scim-schemas.js';
import { SCIM_USER_FIELDS, readUser, renderUser, type ScimUserRecord } from '../../../src/scim/scim-user.mapping.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const BASE = 'https://hr.example.com/scim/v2';

/** Microsoft's "Create User" body (https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups). */
const ENTRA_POST = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'alice@contoso.com',
  active: true,
  displayName: 'Alice Doe',
  title: 'Engineer',
  emails: [{ primary: true, type: 'work', value: 'alice@contoso.com' }],
  name: { formatted: 'Alice Doe', familyName: 'Doe', givenName: 'Alice' },
  phoneNumbers: [
    { type: 'work', value: '+49 30 1234' },
    { type: 'mobile', value: '+49 170 1' },
  ],
  addresses: [
    {
      type: 'work',
      streetAddress: 'Main St 1',
      locality: 'Berlin',
      postalCode: '10115',
      country: 'DE',
      formatted: 'Building 5',
    },
  ],
  [ENTERPRISE]: { employeeNumber: 'E-1001', department: 'R&D' },
  meta: { resourceType: 'User' },
  roles: [],
};

function recordOf(body: unknown, id = '7d0c1f3e-0000-4000-8000-000000000001'): ScimUserRecord {
  const write = readUser(readResourceBody(body, USER_RESOURCE));
  return {
    id,
    userName: write.userName,
    externalId: write.externalId,
    active: write.active ?? true,
    fields: write.fields,
    managerId: write.managerId,
    attributes: write.attributes,
    created: '2026-12-01T08:00:00.000Z',
    lastModified: '2026-12-01T08:00:00.000Z',
  };
}

describe('a User resource <-> an HR user', () => {
  it('puts each HR field at its catalogued SCIM path and keeps the rest verbatim', () => {
    const record = recordOf(ENTRA_POST);
    expect(record.fields).toEqual({
      email: 'alice@contoso.com',
      firstName: 'Alice',
      lastName: 'Doe',
      displayName: 'Alice Doe',
      jobTitle: 'Engineer',
      department: 'R&D',
      officeLocation: 'Building 5',
      employeeNumber: 'E-1001',
      mobilePhone: '+49 170 1',
      businessPhone: '+49 30 1234',
      city: 'Berlin',
    });
    expect(record.attributes).toEqual({
      name: { formatted: 'Alice Doe' },
      // The work e-mail stays as sent too: HR's login is never rewritten (rule 2.2), the resource reads back as pushed.
      emails: [{ primary: true, type: 'work', value: 'alice@contoso.com' }],
      phoneNumbers: [{ type: 'work' }, { type: 'mobile' }],
      addresses: [{ type: 'work', streetAddress: 'Main St 1', postalCode: '10115', country: 'DE' }],
    });
  });

  it('renders exactly what Entra sent (but meta and the empty roles), so Entra sees no difference', () => {
    const rendered = renderUser(recordOf(ENTRA_POST), BASE);
    const { meta, roles: _roles, ...sent } = ENTRA_POST;
    const { meta: ours, id, ...rest } = rendered;
    expect(rest).toEqual(sent);
    expect(id).toBe('7d0c1f3e-0000-4000-8000-000000000001');
    expect(meta.resourceType).toBe('User');
    expect(ours).toEqual({
      resourceType: 'User',
      created: '2026-12-01T08:00:00.000Z',
      lastModified: '2026-12-01T08:00:00.000Z',
      location: `${BASE}/Users/7d0c1f3e-0000-4000-8000-000000000001`,
      version: expect.stringMatching(/^W\/"[\w-]+"$/),
    });
  });

  it('gives a new version when what a client reads changes, the same one otherwise', () => {
    const record = recordOf(ENTRA_POST);
    const version = (r: ScimUserRecord) => (renderUser(r, BASE).meta as { version: string }).version;
    expect(version({ ...record, lastModified: '2027-01-01T00:00:00.000Z' })).toBe(version(record));
    expect(version({ ...record, fields: { ...record.fields, jobTitle: 'Lead' } })).not.toBe(version(record));
  });

  it('renders the manager as a link to its User, and an HR-only user with its e-mail as primary work e-mail', () => {
    const rendered = renderUser(
      {
        id: 'u-2',
        userName: 'bob@contoso.com',
        externalId: null,
        active: false,
        fields: { email: 'bob@contoso.com', firstName: 'Bob', lastName: null },
        managerId: 'u-1',
        attributes: null,
        created: 'c',
        lastModified: 'm',
      },
      BASE,
    );
    expect(rendered).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      userName: 'bob@contoso.com',
      name: { givenName: 'Bob' },
      emails: [{ type: 'work', value: 'bob@contoso.com', primary: true }],
      active: false,
      [ENTERPRISE]: { manager: { value: 'u-1', $ref: `${BASE}/Users/u-1` } },
    });
    expect(rendered).not.toHaveProperty('externalId');
  });

  it('maps every text field the catalogue gives a SCIM path, and only those', () => {
    const mapped = SCIM_USER_FIELDS.map((f) => f.field);
    const catalogued = Object.entries(HR_FIELDS)
      .filter(([, d]) => d.scim !== null && d.type === 'text')
      .map(([field]) => field);
    expect(mapped).toEqual(catalogued);
  });

  it('reads names case-insensitively, null as absent and "True" as true', () => {
    const resource = readResourceBody(
      {
        Schemas: [
          'URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER',
          'urn:ietf:params:scim:schemas:extension:enterprise:2.0User',
        ],
        UserName: 'x@contoso.com',
        Active: 'True',
        Emails: [{ Primary: 'true', Type: 'work', Value: 'x@contoso.com' }],
        title: null,
        addresses: null,
        [ENTERPRISE.toUpperCase()]: { Department: 'IT', manager: null },
      },
      USER_RESOURCE,
    );
    expect(resource).toEqual({
      userName: 'x@contoso.com',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'x@contoso.com' }],
      [ENTERPRISE]: { department: 'IT' },
    });
  });

  it.each([
    ['an attribute no schema has', { adreses: [] }, '400 invalidSyntax'],
    ['an unknown sub-attribute', { name: { nickname: 'x' } }, '400 invalidSyntax'],
    ['an unknown extension attribute', { [ENTERPRISE]: { shoeSize: '42' } }, '400 invalidSyntax'],
    ['a boolean that is none', { active: 'yes' }, '400 invalidValue'],
    [
      'two primary e-mails',
      {
        emails: [
          { value: 'a', primary: true },
          { value: 'b', primary: true },
        ],
      },
      '400 invalidValue',
    ],
  ])('refuses %s', (_name, extra, expected) => {
    const body = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'x', ...extra };
    let got = 'no error';
    try {
      readResourceBody(body, USER_RESOURCE);
    } catch (error) {
      got = `${(error as ScimError).status} ${(error as ScimError).scimType}`;
    }
    expect(got).toBe(expected);
  });

  it('refuses a body without the User schema, or without a userName', () => {
    expect(() => readResourceBody({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'] }, USER_RESOURCE)).toThrow(
      /"schemas" must list urn:ietf:params:scim:schemas:core:2.0:User/,
    );
    expect(() => readUser(readResourceBody({ schemas: ENTRA_POST.schemas }, USER_RESOURCE))).toThrow(
      /userName is required/,
    );
  });
});

describe('reading a list', () => {
  it('pages from a 1-based startIndex, caps count at 200, and ignores parameters it does not know', () => {
    expect(readListQuery({ startIndex: '0', count: '500', aadOptscim062020: '' }, USER_RESOURCE)).toEqual({
      startIndex: 1,
      count: 200,
      projection: {},
    });
    expect(readListQuery({ COUNT: '-3', filter: 'userName eq "x"' }, USER_RESOURCE)).toMatchObject({
      count: 0,
      filter: 'userName eq "x"',
    });
    expect(() => readListQuery({ startIndex: 'two' }, USER_RESOURCE)).toThrow(/startIndex must be an integer/);
  });

  it('keeps id and schemas, and only the attributes asked for; or drops the excluded ones', () => {
    const user = renderUser(recordOf(ENTRA_POST), BASE);
    const only = readListQuery({ attributes: 'userName,name.givenName,emails[type eq "work"]' }, USER_RESOURCE);
    expect(project(user, only.projection)).toEqual({
      schemas: user.schemas,
      id: user.id,
      userName: 'alice@contoso.com',
      name: { givenName: 'Alice' },
      emails: ENTRA_POST.emails,
    });
    const without = readListQuery({ excludedAttributes: `id,emails,${ENTERPRISE}:department` }, USER_RESOURCE);
    const projected = project(user, without.projection);
    expect(projected).not.toHaveProperty('emails');
    expect(projected.id).toBe(user.id);
    expect(projected[ENTERPRISE]).toEqual({ employeeNumber: 'E-1001' });
  });

  it('answers a ListResponse with Resources, also when empty', () => {
    expect(listResponse([], 0, 1)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });
});
