import { describe, expect, it } from '@jest/globals';
import {
  RESOURCE_TYPES,
  SCHEMAS,
  resourceTypeResource,
  schemaResource,
  serviceProviderConfig,
} from '../../../src/scim/scim-discovery.js';

const BASE = 'https://hr.example.com/scim/v2';

/** Discovery (RFC 7644 section 4; RFC 7643 sections 5-7 and 8.7). */
describe('SCIM discovery', () => {
  it('says PATCH, filters and ETags are supported, bulk, sort and password changes not', () => {
    const config = serviceProviderConfig(BASE, 'https://hr.example.com/docs/rules.md');
    expect(config).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: true },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken', primary: true })],
      meta: { resourceType: 'ServiceProviderConfig', location: `${BASE}/ServiceProviderConfig` },
    });
  });

  it('lists Users first, with the enterprise extension, then Groups', () => {
    expect(RESOURCE_TYPES.map((t) => resourceTypeResource(t, BASE))).toEqual([
      {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
        id: 'User',
        name: 'User',
        endpoint: '/Users',
        description: 'User Account',
        schema: 'urn:ietf:params:scim:schemas:core:2.0:User',
        schemaExtensions: [{ schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', required: false }],
        meta: { resourceType: 'ResourceType', location: `${BASE}/ResourceTypes/User` },
      },
      {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
        id: 'Group',
        name: 'Group',
        endpoint: '/Groups',
        description: 'Group',
        schema: 'urn:ietf:params:scim:schemas:core:2.0:Group',
        meta: { resourceType: 'ResourceType', location: `${BASE}/ResourceTypes/Group` },
      },
    ]);
  });

  it('describes each attribute with the characteristics of RFC 7643 section 7', () => {
    const [user, enterprise, group] = SCHEMAS.map((s) => schemaResource(s, BASE));
    expect(user).toMatchObject({
      id: 'urn:ietf:params:scim:schemas:core:2.0:User',
      name: 'User',
      description: 'User Account',
    });
    const attributes = user!.attributes as Array<Record<string, unknown>>;
    expect(attributes.find((a) => a.name === 'userName')).toEqual({
      name: 'userName',
      type: 'string',
      multiValued: false,
      description: expect.any(String),
      required: true,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'server',
    });
    const emails = attributes.find((a) => a.name === 'emails')!;
    expect(emails).toMatchObject({ type: 'complex', multiValued: true });
    expect((emails.subAttributes as Array<{ name: string }>).map((s) => s.name)).toEqual([
      'value',
      'display',
      'type',
      'primary',
    ]);
    expect(attributes.find((a) => a.name === 'password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    const manager = (enterprise!.attributes as Array<Record<string, unknown>>).find((a) => a.name === 'manager')!;
    expect((manager.subAttributes as Array<{ name: string }>).map((s) => s.name)).toEqual([
      'value',
      '$ref',
      'displayName',
    ]);
    expect((group!.attributes as Array<{ name: string }>).map((a) => a.name)).toEqual(['displayName', 'members']);
    expect(enterprise!.meta).toEqual({
      resourceType: 'Schema',
      location: `${BASE}/Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`,
    });
  });

  it('leaves out empty characteristics rather than sending nulls', () => {
    const text = JSON.stringify(SCHEMAS.map((s) => schemaResource(s, BASE)));
    expect(text).not.toContain('null');
    expect(text).not.toContain('"canonicalValues":[]');
  });
});
