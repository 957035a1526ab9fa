/*
 * Discovery (RFC 7644 section 4, https://www.rfc-editor.org/rfc/rfc7644#section-4): what this
 * endpoint supports (ServiceProviderConfig, RFC 7643 section 5), its resource types (section 6)
 * and its schemas (section 7, in the representation of section 8.7). Entra reads /Schemas when the
 * provisioning configuration is saved; nothing here depends on the data.
 */
import { MAX_COUNT } from './scim-list.js';
import type { Resource } from './scim-resource.js';
import {
  ENTERPRISE_USER_SCHEMA_DEFINITION,
  GROUP_RESOURCE,
  GROUP_SCHEMA_DEFINITION,
  USER_RESOURCE,
  USER_SCHEMA_DEFINITION,
  type AttributeDefinition,
  type ResourceType,
  type SchemaDefinition,
} from './scim-schemas.js';

const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

export const RESOURCE_TYPES: readonly ResourceType[] = [USER_RESOURCE, GROUP_RESOURCE];
export const SCHEMAS: readonly SchemaDefinition[] = [
  USER_SCHEMA_DEFINITION,
  ENTERPRISE_USER_SCHEMA_DEFINITION,
  GROUP_SCHEMA_DEFINITION,
];

export function serviceProviderConfig(baseUrl: string, documentationUri: string): Resource {
  return {
    schemas: [SPC_SCHEMA],
    documentationUri,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_COUNT },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'A SCIM token an administrator of this service generates: Authorization: Bearer <token>',
        specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function resourceTypeResource(type: ResourceType, baseUrl: string): Resource {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: type.name,
    name: type.name,
    endpoint: type.endpoint,
    description: type.name === 'User' ? 'User Account' : 'Group',
    schema: type.schema.id,
    ...(type.extensions.length
      ? { schemaExtensions: type.extensions.map((e) => ({ schema: e.id, required: false })) }
      : {}),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${type.name}` },
  };
}

export function schemaResource(schema: SchemaDefinition, baseUrl: string): Resource {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(describeAttribute),
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
  };
}

/** RFC 7643 section 7's characteristics, omitting what is unset (empty lists). */
function describeAttribute(attribute: AttributeDefinition): Resource {
  const { subAttributes, canonicalValues, referenceTypes, ...rest } = attribute;
  return {
    ...rest,
    ...(canonicalValues?.length ? { canonicalValues } : {}),
    ...(referenceTypes?.length ? { referenceTypes } : {}),
    ...(subAttributes ? { subAttributes: subAttributes.map(describeAttribute) } : {}),
  };
}
