/*
 * What a filter may name. Users: the HR fields at their catalogued SCIM paths (so a field that
 * gains a SCIM path becomes filterable with no edit here), plus what identifies a User (id,
 * userName, externalId, the manager link, any e-mail) and meta's times. Groups: id, displayName,
 * externalId, a member's id, meta's times. Entra filters on userName, externalId,
 * emails[type eq "work"].value and a group's displayName (Microsoft Learn, "Tutorial: Develop and
 * plan provisioning for a SCIM endpoint"); every one of those is here.
 */
import { HR_FIELDS } from '../domain/hr-field.catalogue.js';
import { resolvePath } from './attribute-path.js';
import { filterKey, type FilterAllowList, type FilterableAttribute, type FilterValueType } from './scim-filter.js';
import { ENTERPRISE_USER_SCHEMA, GROUP_RESOURCE, USER_RESOURCE, type ResourceType } from './scim-schemas.js';
import { SCIM_USER_FIELDS } from './scim-user.mapping.js';

/** Keys of the filterable attributes that are not HR fields. */
export const USER_IDENTITY_KEYS = ['id', 'userName', 'externalId', 'manager', 'anyEmail', 'created', 'lastModified'];
export const GROUP_KEYS = ['id', 'displayName', 'externalId', 'member', 'created', 'lastModified'];

function allowList(resource: ResourceType, entries: Array<[string, string, FilterValueType]>): FilterAllowList {
  const attributes = new Map<string, FilterableAttribute>();
  for (const [path, key, type] of entries) {
    const resolved = resolvePath(path, resource);
    // Ids are compared exactly, whatever the attribute holding them says.
    const caseExact = type === 'id' || (resolved.sub ?? resolved.attribute!).caseExact;
    attributes.set(filterKey(resolved)!, { key, type, caseExact });
  }
  return { resource, attributes };
}

export const USER_FILTER: FilterAllowList = allowList(USER_RESOURCE, [
  ['id', 'id', 'id'],
  ['userName', 'userName', 'string'],
  ['externalId', 'externalId', 'string'],
  [`${ENTERPRISE_USER_SCHEMA}:manager.value`, 'manager', 'id'],
  ['emails.value', 'anyEmail', 'string'],
  ['meta.created', 'created', 'dateTime'],
  ['meta.lastModified', 'lastModified', 'dateTime'],
  ['active', 'active', 'boolean'],
  ...SCIM_USER_FIELDS.map(({ field }): [string, string, FilterValueType] => [HR_FIELDS[field].scim!, field, 'string']),
]);

export const GROUP_FILTER: FilterAllowList = allowList(GROUP_RESOURCE, [
  ['id', 'id', 'id'],
  ['displayName', 'displayName', 'string'],
  ['externalId', 'externalId', 'string'],
  ['members.value', 'member', 'id'],
  ['meta.created', 'created', 'dateTime'],
  ['meta.lastModified', 'lastModified', 'dateTime'],
]);
