import { describe, expect, it } from '@jest/globals';
import {
  isPermissionSatisfied,
  missingPermissions,
  permissionForRoute,
  requiredPermissions,
  routeOf,
} from '../../../src/gateways/graph/graph-permissions.js';
import { decodeJwtPayload, readAccessTokenClaims } from '../../../src/gateways/graph/graph-token.claims.js';
import { rows } from '../../support/each-rows.js';

const jwt = (payload: unknown) =>
  ['{"alg":"RS256","typ":"JWT"}', JSON.stringify(payload)]
    .map((part) => Buffer.from(part).toString('base64url'))
    .join('.') + '.sig';

describe('token roles', () => {
  it('reads roles, tenant and app id from the payload without validating', () => {
    const claims = readAccessTokenClaims(
      jwt({ roles: ['User.Read.All', 7], tid: 't1', appid: 'a1', exp: 1_700_000_000 }),
    );
    expect(claims).toEqual({
      roles: ['User.Read.All'],
      tenantId: 't1',
      appId: 'a1',
      expiresAt: new Date(1_700_000_000_000),
    });
  });

  it('reads a token without a roles claim as no permission granted', () => {
    expect(readAccessTokenClaims(jwt({ tid: 't1' })).roles).toEqual([]);
  });

  it('refuses something that is not a JWT', () => {
    expect(() => decodeJwtPayload('opaque-token')).toThrow(TypeError);
    expect(() => decodeJwtPayload(`a.${Buffer.from('[1]').toString('base64url')}.c`)).toThrow(TypeError);
  });
});

describe('permission implication (docs/graph.md §10)', () => {
  it.each(
    rows([
      ['User.Read.All', ['User.ReadWrite.All'], true],
      ['User.Read.All', ['Directory.Read.All'], true],
      ['GroupMember.Read.All', ['Group.Read.All'], true],
      ['GroupMember.Read.All', ['Directory.ReadWrite.All'], true],
      ['Group.Read.All', ['GroupMember.Read.All'], false],
      ['User.ReadWrite.All', ['User.Read.All'], false],
      ['User.ReadWrite.All', ['Directory.ReadWrite.All'], true],
      ['Calendars.ReadWrite', ['Directory.ReadWrite.All'], false],
    ]),
  )('%s satisfied by %j: %s', (permission, granted, expected) => {
    expect(isPermissionSatisfied(granted, permission)).toBe(expected);
  });

  it('lists what enabled features need', () => {
    expect(requiredPermissions({ writeBack: false, createUsers: false, calendars: false })).toEqual([
      'User.Read.All',
      'Group.Read.All',
      'GroupMember.Read.All',
    ]);
    expect(requiredPermissions({ writeBack: true, createUsers: false, calendars: true })).toEqual([
      'User.Read.All',
      'Group.Read.All',
      'GroupMember.Read.All',
      'User.ReadWrite.All',
      'Calendars.ReadWrite',
    ]);
  });

  it('asks for listing domains and adding group members when creations are written back (rule 4.2)', () => {
    const required = requiredPermissions({ writeBack: true, createUsers: true, calendars: false });
    expect(required).toEqual([
      'User.Read.All',
      'Group.Read.All',
      'GroupMember.Read.All',
      'User.ReadWrite.All',
      'Domain.Read.All',
      'GroupMember.ReadWrite.All',
    ]);
    expect(missingPermissions(['User.ReadWrite.All', 'Group.Read.All'], required)).toEqual([
      'Domain.Read.All',
      'GroupMember.ReadWrite.All',
    ]);
    expect(missingPermissions(['Directory.ReadWrite.All'], required)).toEqual([]);
    expect(missingPermissions(['User.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.Read.All'], required)).toEqual(
      [],
    );
  });

  it('names exactly each missing permission', () => {
    const required = requiredPermissions({ writeBack: true, createUsers: false, calendars: false });
    expect(missingPermissions(['User.ReadWrite.All', 'Group.Read.All'], required)).toEqual([]);
    expect(missingPermissions(['User.Read.All', 'GroupMember.Read.All'], required)).toEqual([
      'Group.Read.All',
      'User.ReadWrite.All',
    ]);
    expect(missingPermissions([], required)).toEqual(required);
  });
});

describe('routes', () => {
  it.each([
    [
      'GET',
      'https://graph.microsoft.com/v1.0/users/0f8fad5b-d9cb-469f-a165-70867728950e/manager?$select=id',
      '/users/{id}/manager',
    ],
    [
      'get',
      '/groups/g1/transitiveMembers/microsoft.graph.user?$top=999',
      '/groups/{id}/transitiveMembers/microsoft.graph.user',
    ],
    ['GET', 'https://127.0.0.1:8443/v1.0/users/delta?$skiptoken=abc', '/users/delta'],
    ['PUT', '/users/u1/manager/$ref', '/users/{id}/manager/$ref'],
    ['GET', '/users/u1/photo/$value', '/users/{id}/photo/$value'],
    ['POST', '/$batch', '/$batch'],
  ])('%s %s → %s', (method, url, path) => {
    expect(routeOf(method, url)).toEqual({ method: method.toUpperCase(), path });
  });

  it.each([
    ['GET', '/users', 'User.Read.All'],
    ['GET', '/users/delta', 'User.Read.All'],
    ['GET', '/users/{id}/photo/$value', 'User.Read.All'],
    ['PATCH', '/users/{id}', 'User.ReadWrite.All'],
    ['PUT', '/users/{id}/manager/$ref', 'User.ReadWrite.All'],
    ['GET', '/groups', 'Group.Read.All'],
    ['GET', '/groups/{id}/members', 'GroupMember.Read.All'],
    ['GET', '/groups/delta', 'GroupMember.Read.All'],
    ['GET', '/users/{id}/calendar/events', 'Calendars.ReadWrite'],
    ['POST', '/$batch', undefined],
  ])('%s %s needs %s', (method, path, permission) => {
    expect(permissionForRoute({ method, path })).toBe(permission);
  });
});
