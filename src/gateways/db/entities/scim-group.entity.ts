import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { HrUser } from './hr-user.entity.js';

/**
 * A group pushed by Entra's provisioning service over SCIM (docs/rules.md section 7). Role mappings
 * name it by its externalId (the Entra group's object id), else by its id, as they name a synced group.
 */
export const ScimGroup = defineEntity({
  name: 'ScimGroup',
  tableName: 'scim_group',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    displayName: p.string().length(256),
    externalId: p.string().length(256).nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
  indexes: [
    // Entra matches groups on their name, so one group per name compared case-insensitively.
    {
      name: 'scim_group_display_name_unique',
      expression: 'create unique index "scim_group_display_name_unique" on "scim_group" (lower("display_name"))',
    },
    { name: 'scim_group_external_id_index', properties: ['externalId'] },
  ],
});
export type ScimGroupEntity = InferEntity<typeof ScimGroup>;

/** A member of a pushed group: an HR user. */
export const ScimGroupMember = defineEntity({
  name: 'ScimGroupMember',
  tableName: 'scim_group_member',
  properties: {
    group: () => p.manyToOne(ScimGroup).mapToPk().primary().deleteRule('cascade'),
    hrUser: () => p.manyToOne(HrUser).mapToPk().primary().deleteRule('cascade'),
  },
  indexes: [{ name: 'scim_group_member_hr_user_id_index', properties: ['hrUser'] }],
});
export type ScimGroupMemberEntity = InferEntity<typeof ScimGroupMember>;
