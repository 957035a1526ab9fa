import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Role } from './role.entity.js';

/** An Entra group the admin selected; its members become HR users (rule 2.1). */
export const SyncedGroup = defineEntity({
  name: 'SyncedGroup',
  tableName: 'synced_group',
  properties: {
    entraGroupId: p.string().length(64).primary(),
    displayName: p.string().length(256),
    addedAt: p.datetime().defaultRaw('now()'),
  },
});
export type SyncedGroupEntity = InferEntity<typeof SyncedGroup>;

/** Entra group -> HR role (rule 5.1). One group may map to several roles and several groups to one. */
export const GroupRoleMapping = defineEntity({
  name: 'GroupRoleMapping',
  tableName: 'group_role_mapping',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    entraGroupId: p.string().length(64),
    groupDisplayName: p.string().length(256),
    role: () => p.manyToOne(Role).mapToPk().deleteRule('cascade'),
    createdAt: p.datetime().defaultRaw('now()'),
  },
  uniques: [{ properties: ['entraGroupId', 'role'] }],
});
export type GroupRoleMappingEntity = InferEntity<typeof GroupRoleMapping>;
