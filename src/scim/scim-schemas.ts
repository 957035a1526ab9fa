/*
 * The schemas this endpoint serves: the core User and Group (RFC 7643 sections 4.1 and 4.2,
 * https://www.rfc-editor.org/rfc/rfc7643#section-4) and the enterprise User extension (section
 * 4.3), with the attribute characteristics of section 7 as the RFC's own schema representation
 * (section 8.7.1) gives them. Every other module resolves attribute names here, case-insensitively
 * (section 2.1), and answers with these canonical spellings.
 */

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export type AttributeType =
  'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'binary' | 'reference' | 'complex';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';

export interface AttributeDefinition {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: Mutability;
  readonly returned: 'always' | 'never' | 'default' | 'request';
  readonly uniqueness: 'none' | 'server' | 'global';
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly AttributeDefinition[];
}

export interface SchemaDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDefinition[];
}

type Options = Partial<Omit<AttributeDefinition, 'name' | 'description'>>;

function attribute(name: string, description: string, options: Options = {}): AttributeDefinition {
  return {
    name,
    type: 'string',
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  };
}

const complex = (name: string, description: string, subAttributes: AttributeDefinition[], options: Options = {}) =>
  attribute(name, description, { type: 'complex', subAttributes, ...options });

/** The sub-attributes of RFC 7643 section 2.4 that most multi-valued attributes share. */
function plural(name: string, description: string, types: string[], value: Options = {}): AttributeDefinition {
  return complex(
    name,
    description,
    [
      attribute('value', `The value of ${name}.`, value),
      attribute('display', 'A human-readable name, primarily used for display purposes.'),
      attribute('type', 'A label indicating the attribute\'s function, e.g. "work" or "home".', {
        canonicalValues: types,
      }),
      attribute('primary', 'Whether this is the primary or preferred value; at most once true.', { type: 'boolean' }),
    ],
    { multiValued: true },
  );
}

const ADDRESS_PARTS: Array<[string, string]> = [
  ['formatted', 'The full mailing address, formatted for display or use with a mailing label.'],
  ['streetAddress', 'The full street address component.'],
  ['locality', 'The city or locality component.'],
  ['region', 'The state or region component.'],
  ['postalCode', 'The zip code or postal code component.'],
  ['country', 'The country name component (ISO 3166-1 "alpha-2").'],
];

export const USER_SCHEMA_DEFINITION: SchemaDefinition = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    attribute('userName', 'Unique identifier for the User, typically used to sign in; unique case-insensitively.', {
      required: true,
      uniqueness: 'server',
    }),
    complex('name', "The components of the user's real name.", [
      attribute('formatted', 'The full name, formatted for display.'),
      attribute('familyName', 'The family name (surname).'),
      attribute('givenName', 'The given name (first name).'),
      attribute('middleName', 'The middle name(s).'),
      attribute('honorificPrefix', 'The honorific prefix(es), e.g. "Ms.".'),
      attribute('honorificSuffix', 'The honorific suffix(es), e.g. "III".'),
    ]),
    attribute('displayName', 'The name of the User, suitable for display to end-users.'),
    attribute('nickName', 'The casual way to address the user in real life.'),
    attribute('profileUrl', "A fully qualified URL pointing to the user's online profile.", {
      type: 'reference',
      referenceTypes: ['external'],
    }),
    attribute('title', 'The user\'s title, such as "Vice President".'),
    attribute('userType', 'The relationship between the organization and the user, e.g. "Employee".'),
    attribute('preferredLanguage', "The user's preferred written or spoken language (RFC 7231 section 5.3.5)."),
    attribute('locale', "The user's default location, for localizing items such as currency and dates."),
    attribute('timezone', 'The user\'s time zone in the IANA Time Zone database format, e.g. "Europe/Berlin".'),
    attribute('active', "The user's administrative status: false deactivates the HR user, never deletes it.", {
      type: 'boolean',
    }),
    attribute('password', 'Never stored or returned by this service.', { mutability: 'writeOnly', returned: 'never' }),
    plural('emails', 'Email addresses for the user.', ['work', 'home', 'other']),
    plural('phoneNumbers', 'Phone numbers for the user.', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    plural('ims', 'Instant messaging addresses for the user.', ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq']),
    plural('photos', 'URLs of photos of the user.', ['photo', 'thumbnail'], {
      type: 'reference',
      referenceTypes: ['external'],
    }),
    complex(
      'addresses',
      'A physical mailing address for this user.',
      [
        ...ADDRESS_PARTS.map(([name, description]) => attribute(name, description)),
        attribute('type', 'A label indicating the address\'s function, e.g. "work" or "home".', {
          canonicalValues: ['work', 'home', 'other'],
        }),
        attribute('primary', 'Whether this is the primary address; at most once true.', { type: 'boolean' }),
      ],
      { multiValued: true },
    ),
    complex(
      'groups',
      'The groups the user belongs to (read only: change membership on the Group).',
      [
        attribute('value', 'The identifier of the group.', { mutability: 'readOnly' }),
        attribute('$ref', 'The URI of the group.', { type: 'reference', mutability: 'readOnly' }),
        attribute('display', 'The name of the group.', { mutability: 'readOnly' }),
        attribute('type', 'direct or indirect.', { mutability: 'readOnly' }),
      ],
      { multiValued: true, mutability: 'readOnly' },
    ),
    plural('entitlements', 'Entitlements of the user.', []),
    plural('roles', 'Roles of the user, kept as sent (HR roles follow group mappings, not this).', []),
    plural('x509Certificates', 'X.509 certificates issued to the user.', [], { type: 'binary' }),
  ],
};

export const ENTERPRISE_USER_SCHEMA_DEFINITION: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attribute('employeeNumber', 'A string identifier, typically numeric or alphanumeric, assigned to a person.'),
    attribute('costCenter', 'Identifies the name of a cost center.'),
    attribute('organization', 'Identifies the name of an organization.'),
    attribute('division', 'Identifies the name of a division.'),
    attribute('department', 'Identifies the name of a department.'),
    complex('manager', "The user's manager: its id on this service.", [
      attribute('value', 'The id of the SCIM resource representing the manager.'),
      attribute('$ref', 'The URI of the manager.', { type: 'reference', referenceTypes: ['User'] }),
      attribute('displayName', 'The display name of the manager.', { mutability: 'readOnly' }),
    ]),
  ],
};

export const GROUP_SCHEMA_DEFINITION: SchemaDefinition = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    attribute('displayName', 'A human-readable name for the Group; unique case-insensitively.', {
      required: true,
      uniqueness: 'server',
    }),
    complex(
      'members',
      'A list of members of the Group (users of this service).',
      [
        attribute('value', 'The id of the member.', { mutability: 'immutable', caseExact: true }),
        attribute('$ref', 'The URI of the member.', {
          type: 'reference',
          referenceTypes: ['User'],
          mutability: 'immutable',
        }),
        attribute('display', 'The name of the member.', { mutability: 'readOnly' }),
        attribute('type', 'The type of the member: User.', { mutability: 'immutable', canonicalValues: ['User'] }),
      ],
      { multiValued: true },
    ),
  ],
};

/** The attributes every resource has (RFC 7643 section 3.1), outside any schema's list. */
export const COMMON_ATTRIBUTES: readonly AttributeDefinition[] = [
  attribute('id', 'The identifier this service gave the resource.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  attribute('externalId', "The provisioning client's identifier for the resource, kept verbatim.", {
    caseExact: true,
  }),
  complex(
    'meta',
    'Resource metadata.',
    [
      attribute('resourceType', 'The name of the resource type.', { caseExact: true, mutability: 'readOnly' }),
      attribute('created', 'When the resource was added.', { type: 'dateTime', mutability: 'readOnly' }),
      attribute('lastModified', 'When the resource last changed.', { type: 'dateTime', mutability: 'readOnly' }),
      attribute('location', 'The URI of the resource.', { type: 'reference', mutability: 'readOnly' }),
      attribute('version', 'The version (weak entity tag) of the resource.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
    ],
    { mutability: 'readOnly' },
  ),
];

export interface ResourceType {
  readonly name: 'User' | 'Group';
  readonly endpoint: '/Users' | '/Groups';
  readonly schema: SchemaDefinition;
  readonly extensions: readonly SchemaDefinition[];
}

export const USER_RESOURCE: ResourceType = {
  name: 'User',
  endpoint: '/Users',
  schema: USER_SCHEMA_DEFINITION,
  extensions: [ENTERPRISE_USER_SCHEMA_DEFINITION],
};
export const GROUP_RESOURCE: ResourceType = {
  name: 'Group',
  endpoint: '/Groups',
  schema: GROUP_SCHEMA_DEFINITION,
  extensions: [],
};

/** The attribute of this name in the list, compared case-insensitively (RFC 7643 section 2.1). */
export function findAttribute(
  attributes: readonly AttributeDefinition[] | undefined,
  name: string,
): AttributeDefinition | undefined {
  const wanted = name.toLowerCase();
  return attributes?.find((a) => a.name.toLowerCase() === wanted);
}

/** The schema of this URN among the resource type's own and its extensions, compared case-insensitively. */
export function findSchema(type: ResourceType, urn: string): SchemaDefinition | undefined {
  const wanted = urn.toLowerCase();
  return [type.schema, ...type.extensions].find((s) => s.id.toLowerCase() === wanted);
}
