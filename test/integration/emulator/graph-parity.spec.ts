import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { accessToken, GraphCaller, startTrusted } from './emulator-harness.js';
import type { RunningEmulator } from './emulator-harness.js';

type Item = Record<string, unknown> & { id: string };

const DEFAULT_ROLES = ['User.Read.All', 'Group.Read.All', 'GroupMember.Read.All', 'User.ReadWrite.All'];

/** Where the emulator still differed from Microsoft Graph (issue 9, section 9). */
describe('emulator parity with Graph', () => {
  let emulator: RunningEmulator;
  let graph: GraphCaller;
  let groupId: string;

  const round = async (
    url: string,
  ): Promise<{ pages: Record<string, unknown>[]; items: Item[]; deltaLink: string }> => {
    const pages = await graph.pages(url);
    return {
      pages,
      items: pages.flatMap((p) => p.value as Item[]),
      deltaLink: pages.at(-1)['@odata.deltaLink'] as string,
    };
  };

  beforeAll(async () => {
    emulator = await startTrusted({ seed: { users: 620, seed: 9 } });
    graph = await GraphCaller.create(emulator);
    groupId = (await emulator.control.findGroup('Employee'))?.id as string;
  });
  afterAll(() => emulator.close());

  describe('delta function aliases (https://learn.microsoft.com/graph/delta-query-users)', () => {
    const userForms = [
      '/users/delta',
      '/users/delta()',
      '/users/microsoft.graph.delta',
      '/users/microsoft.graph.delta()',
    ];
    const groupForms = [
      '/groups/delta',
      '/groups/delta()',
      '/groups/microsoft.graph.delta',
      '/groups/microsoft.graph.delta()',
    ];

    it.each(userForms)('%s pages every user over /users/delta links, then reports a change', async (path) => {
      const { pages, items, deltaLink } = await round(`${path}?$select=displayName,jobTitle`);
      expect(pages.length).toBeGreaterThan(1);
      for (const page of pages.slice(0, -1)) {
        expect(page['@odata.nextLink']).toMatch(
          new RegExp(`^${emulator.url}/v1\\.0/users/delta\\?\\$skiptoken=[A-Za-z0-9_.-]+$`),
        );
      }
      expect(new Set(items.map((u) => u.id)).size).toBe((await emulator.control.summary()).users);
      expect(deltaLink).toMatch(new RegExp(`^${emulator.url}/v1\\.0/users/delta\\?\\$deltatoken=[A-Za-z0-9_.-]+$`));
      const id = items[3]?.id as string;
      await emulator.control.updateUser(id, { jobTitle: `Changed via ${path}` });
      const next = await round(deltaLink);
      expect(next.items).toEqual([expect.objectContaining({ id, jobTitle: `Changed via ${path}` })]);
      expect(next.deltaLink).toMatch(new RegExp(`^${emulator.url}/v1\\.0/users/delta\\?\\$deltatoken=`));
    });

    it.each(groupForms)('%s lists groups over /groups/delta links, then reports a new member', async (path) => {
      const { items, deltaLink } = await round(`${path}?$select=displayName,members`);
      expect(items.some((g) => g.id === groupId)).toBe(true);
      expect(deltaLink).toMatch(new RegExp(`^${emulator.url}/v1\\.0/groups/delta\\?\\$deltatoken=[A-Za-z0-9_.-]+$`));
      const user = await emulator.control.createUser({ displayName: `Delta Alias ${path.length}` });
      await emulator.control.addMember(groupId, user.id);
      const next = await round(deltaLink);
      expect(next.items).toEqual([
        expect.objectContaining({
          id: groupId,
          'members@delta': [{ '@odata.type': '#microsoft.graph.user', id: user.id }],
        }),
      ]);
    });

    it('answers $deltatoken=latest on the () form with a /delta link', async () => {
      const latest = await graph.get('/groups/microsoft.graph.delta()?$deltatoken=latest');
      expect(latest.status).toBe(200);
      expect(latest.body.value).toEqual([]);
      expect(latest.body['@odata.deltaLink']).toMatch(
        new RegExp(`^${emulator.url}/v1\\.0/groups/delta\\?\\$deltatoken=`),
      );
    });
  });

  describe('$skip on directory collections ("\'$skip\' is not supported by the service.")', () => {
    const paths = (): string[] => [
      '/users?$skip=5',
      '/users?$top=3&$skip=1',
      '/groups?$skip=1',
      `/groups/${groupId}/members?$skip=2`,
      `/groups/${groupId}/members/microsoft.graph.user?$skip=2`,
      `/groups/${groupId}/transitiveMembers?$skip=2`,
      '/users/delta?$skip=1',
      '/users/microsoft.graph.delta()?$skip=1',
      '/groups/delta?$skip=1',
      '/directory/deletedItems/microsoft.graph.user?$skip=1',
    ];

    it('answers every one with 400 Request_BadRequest, and the same URLs without $skip with 200', async () => {
      for (const path of paths()) {
        const refused = await graph.get(path);
        expect({
          path,
          status: refused.status,
          code: refused.body.error?.code,
          message: refused.body.error?.message,
        }).toEqual({
          path,
          status: 400,
          code: 'Request_BadRequest',
          message: "'$skip' is not supported by the service.",
        });
        const allowed = await graph.get(
          path.replace(/[?&]\$skip=\d+/, (m) => (m.startsWith('?') ? '?' : '')).replace(/\?$/, ''),
        );
        expect({ path, status: allowed.status }).toEqual({ path, status: 200 });
      }
    });
  });

  describe('user properties (https://learn.microsoft.com/graph/api/resources/user?view=graph-rest-1.0)', () => {
    // Properties that were refused with 400 before, with what a generated tenant answers.
    const cases: [string, unknown][] = [
      ['assignedLicenses', []],
      ['assignedPlans', []],
      ['licenseAssignmentStates', []],
      ['provisionedPlans', []],
      ['onPremisesProvisioningErrors', []],
      ['serviceProvisioningErrors', []],
      ['authorizationInfo', { certificateUserIds: [] }],
      ['consentProvidedForMinor', null],
      ['legalAgeGroupClassification', null],
      ['customSecurityAttributes', null],
      ['deviceEnrollmentLimit', null],
      ['externalUserStateChangeDateTime', null],
      ['isManagementRestricted', null],
      ['onPremisesSipInfo', null],
      ['securityIdentifier', expect.stringMatching(/^S-1-12-1-\d+-\d+-\d+-\d+$/)],
      ['signInSessionsValidFromDateTime', expect.stringMatching(/^\d{4}-\d\d-\d\dT/)],
    ];

    it.each(cases)('$select=%s answers 200 on the list and on one user', async (property, expected) => {
      const list = await graph.get(`/users?$top=2&$select=id,${property}`);
      expect(list.status).toBe(200);
      expect(list.body['@odata.context']).toBe(`${emulator.url}/v1.0/$metadata#users(id,${property})`);
      for (const user of list.body.value) expect(user).toEqual({ id: expect.any(String), [property]: expected });
      const one = await graph.get(`/users/${list.body.value[0].id}?$select=${property}`);
      expect(one.status).toBe(200);
      expect(one.body[property]).toEqual(expected);
    });

    it('derives securityIdentifier from the object id as Entra does for cloud users, and keeps it stable', async () => {
      // Worked example of the S-1-12-1 conversion for object id 73d664e4-0886-4a73-b745-c694da45ddb4.
      const user = await emulator.control.createUser({
        id: '73d664e4-0886-4a73-b745-c694da45ddb4',
        displayName: 'Sid Example',
      });
      const expected = 'S-1-12-1-1943430372-1249052806-2496021943-3034400218';
      expect((await graph.get(`/users/${user.id}?$select=securityIdentifier`)).body.securityIdentifier).toBe(expected);
      await emulator.control.updateUser(user.id, { jobTitle: 'Changed' });
      expect((await graph.get(`/users/${user.id}?$select=securityIdentifier`)).body.securityIdentifier).toBe(expected);
    });

    it('accepts every property of the resource page at once, on one user and (minus the single-user ones) on the list', async () => {
      const singleUserOnly = [
        'aboutMe',
        'birthday',
        'hireDate',
        'interests',
        'mySite',
        'pastProjects',
        'preferredName',
        'responsibilities',
        'schools',
        'skills',
        'mailboxSettings',
      ];
      const listable = [
        'accountEnabled',
        'ageGroup',
        'assignedLicenses',
        'assignedPlans',
        'authorizationInfo',
        'businessPhones',
        'city',
        'companyName',
        'consentProvidedForMinor',
        'country',
        'createdDateTime',
        'creationType',
        'customSecurityAttributes',
        'deletedDateTime',
        'department',
        'deviceEnrollmentLimit',
        'displayName',
        'employeeHireDate',
        'employeeId',
        'employeeLeaveDateTime',
        'employeeOrgData',
        'employeeType',
        'externalUserState',
        'externalUserStateChangeDateTime',
        'faxNumber',
        'givenName',
        'id',
        'identities',
        'imAddresses',
        'isManagementRestricted',
        'isResourceAccount',
        'jobTitle',
        'lastPasswordChangeDateTime',
        'legalAgeGroupClassification',
        'licenseAssignmentStates',
        'mail',
        'mailNickname',
        'mobilePhone',
        'officeLocation',
        'onPremisesDistinguishedName',
        'onPremisesDomainName',
        'onPremisesExtensionAttributes',
        'onPremisesImmutableId',
        'onPremisesLastSyncDateTime',
        'onPremisesProvisioningErrors',
        'onPremisesSamAccountName',
        'onPremisesSecurityIdentifier',
        'onPremisesSipInfo',
        'onPremisesSyncEnabled',
        'onPremisesUserPrincipalName',
        'otherMails',
        'passwordPolicies',
        'passwordProfile',
        'postalCode',
        'preferredDataLocation',
        'preferredLanguage',
        'provisionedPlans',
        'proxyAddresses',
        'securityIdentifier',
        'serviceProvisioningErrors',
        'showInAddressList',
        'signInSessionsValidFromDateTime',
        'state',
        'streetAddress',
        'surname',
        'usageLocation',
        'userPrincipalName',
        'userType',
      ];
      const list = await graph.get(`/users?$top=3&$select=${listable.join(',')}`);
      expect(list.status).toBe(200);
      expect(Object.keys(list.body.value[0]).sort()).toEqual([...listable].sort());
      const one = await graph.get(
        `/users/${list.body.value[0].id}?$select=${[...listable, ...singleUserOnly].join(',')}`,
      );
      expect(one.status).toBe(200);
      expect(one.body.interests).toEqual([]);
      expect(one.body.aboutMe).toBeNull();
    });

    it('still refuses an unknown property with 400', async () => {
      const reply = await graph.get('/users?$select=id,assignedLicense');
      expect(reply.status).toBe(400);
      expect(reply.body.error).toEqual(
        expect.objectContaining({
          code: 'Request_BadRequest',
          message: "Could not find a property named 'assignedLicense' on type 'microsoft.graph.user'.",
        }),
      );
    });

    it('refuses a write to a read-only one of them', async () => {
      const id = (await graph.get('/users?$top=1&$select=id')).body.value[0].id as string;
      const reply = await graph.send('PATCH', `/users/${id}`, { securityIdentifier: 'S-1-5-21-1' });
      expect(reply.status).toBe(400);
      expect((await graph.get(`/users/${id}?$select=securityIdentifier`)).body.securityIdentifier).toMatch(
        /^S-1-12-1-/,
      );
    });
  });

  describe('signInActivity needs AuditLog.Read.All (https://learn.microsoft.com/graph/api/user-list?view=graph-rest-1.0)', () => {
    afterAll(() => emulator.control.setClientRoles('demo-client-id', [...DEFAULT_ROLES, 'Calendars.ReadWrite']));

    const withRoles = async (roles: string[]): Promise<GraphCaller> => {
      await emulator.control.setClientRoles('demo-client-id', roles);
      return new GraphCaller(emulator, await accessToken(emulator));
    };

    it('answers 403 without the permission, 200 once granted, 403 again once revoked', async () => {
      const without = await withRoles(DEFAULT_ROLES);
      const id = (await without.get('/users?$top=1&$select=id')).body.value[0].id as string;
      for (const path of ['/users?$select=displayName,signInActivity', `/users/${id}?$select=signInActivity`]) {
        const refused = await without.get(path);
        expect(refused.status).toBe(403);
        expect(refused.body.error).toEqual(
          expect.objectContaining({
            code: 'Authentication_MSGraphPermissionMissing',
            message: 'Calling principal does not have required MSGraph permissions AuditLog.Read.All',
          }),
        );
      }
      const granted = await withRoles([...DEFAULT_ROLES, 'AuditLog.Read.All']);
      const one = await granted.get(`/users/${id}?$select=signInActivity`);
      expect(one.status).toBe(200);
      // Nobody in a generated tenant has signed in.
      expect(one.body).toEqual(expect.objectContaining({ id, signInActivity: null }));
      const revoked = await withRoles(DEFAULT_ROLES);
      expect((await revoked.get(`/users/${id}?$select=signInActivity`)).status).toBe(403);
    });

    it('serves at most 500 users a page while signInActivity is selected, and every user over the nextLinks', async () => {
      const granted = await withRoles([...DEFAULT_ROLES, 'AuditLog.Read.All']);
      const first = await granted.get('/users?$top=999&$select=id,signInActivity');
      expect(first.status).toBe(200);
      expect(first.body.value).toHaveLength(500);
      const pages = await granted.pages('/users?$top=999&$select=id,signInActivity');
      expect(pages.flatMap((p) => p.value).length).toBe((await emulator.control.summary()).users);
      expect((await granted.get('/users?$top=999&$select=id')).body.value.length).toBe(
        (await emulator.control.summary()).users,
      );
    });
  });

  describe('groups (https://learn.microsoft.com/graph/api/resources/group?view=graph-rest-1.0)', () => {
    const collections = [
      'groupTypes',
      'proxyAddresses',
      'assignedLabels',
      'assignedLicenses',
      'onPremisesProvisioningErrors',
      'resourceBehaviorOptions',
      'resourceProvisioningOptions',
      'serviceProvisioningErrors',
    ];

    it.each(collections)('%s is [] on the list and on one group, never null', async (property) => {
      const list = await graph.get(`/groups?$select=id,${property}`);
      expect(list.status).toBe(200);
      for (const group of list.body.value) expect(group[property]).toEqual(expect.any(Array));
      expect(
        list.body.value.some(
          (g: Record<string, unknown>) => Array.isArray(g[property]) && (g[property] as unknown[]).length === 0,
        ),
      ).toBe(true);
      const one = await graph.get(`/groups/${groupId}?$select=${property}`);
      expect(one.status).toBe(200);
      expect(one.body[property]).toEqual(expect.any(Array));
    });

    it('answers securityIdentifier like a cloud group', async () => {
      const one = await graph.get(`/groups/${groupId}?$select=securityIdentifier`);
      expect(one.body.securityIdentifier).toMatch(/^S-1-12-1-\d+-\d+-\d+-\d+$/);
    });

    it.each([
      ['/groups?$select=id,displayNme'],
      ['/groups/{id}?$select=displayNme'],
      ['/groups/delta?$select=displayNme,members'],
    ])('%s answers 400 for an unknown property, as users do', async (template) => {
      const reply = await graph.get(template.replace('{id}', groupId));
      expect(reply.status).toBe(400);
      expect(reply.body.error).toEqual(
        expect.objectContaining({
          code: 'Request_BadRequest',
          message: "Could not find a property named 'displayNme' on type 'microsoft.graph.group'.",
        }),
      );
    });

    it('matches group property names case-insensitively', async () => {
      const reply = await graph.get(`/groups/${groupId}?$select=DisplayName,SecurityEnabled`);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual(expect.objectContaining({ displayName: 'Employee', securityEnabled: true }));
    });
  });

  describe('401 carries the WWW-Authenticate challenge (https://learn.microsoft.com/entra/msal/dotnet/advanced/extract-authentication-parameters)', () => {
    const challenge =
      'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

    it.each([
      ['no token', undefined, 'InvalidAuthenticationToken'],
      ['a malformed token', 'Bearer not-a-jwt', 'InvalidAuthenticationToken'],
      ['a token without roles', 'roles:none', 'AccessDenied'],
    ])('with %s', async (_label, authorization, code) => {
      let header = authorization;
      if (authorization === 'roles:none') {
        await emulator.control.setClientRoles('demo-client-id', []);
        header = `Bearer ${await accessToken(emulator)}`;
        await emulator.control.setClientRoles('demo-client-id', [...DEFAULT_ROLES, 'Calendars.ReadWrite']);
      }
      const res = await fetch(`${emulator.url}/v1.0/users?$top=1`, {
        headers: header ? { authorization: header } : {},
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(challenge);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    });

    it('does not send the challenge on a 200', async () => {
      const ok = await fetch(`${emulator.url}/v1.0/users?$top=1`, {
        headers: { authorization: `Bearer ${graph.token}` },
      });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('www-authenticate')).toBeNull();
    });
  });
});
