import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { HrUser } from './hr-user.entity.js';

/** An HR role. Protected (administrator) roles are never added or removed by role sync (rule 5.3). */
export const Role = defineEntity({
  name: 'Role',
  tableName: 'role',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    name: p.string().length(128).unique(),
    protected: p.boolean().default(false),
    createdAt: p.datetime().defaultRaw('now()'),
  },
  // A change of who a bearer token is notifies ehc_principals (src/application/principal-cache.ts);
  // the function is created by migration 20270106090000-principal-changes.
  triggers: [
    {
      name: 'role_principal_change',
      timing: 'after',
      events: ['update', 'delete', 'truncate'],
      forEach: 'statement',
      expression:
        'create trigger "role_principal_change" after update of name, protected or delete or truncate on "role" for each statement execute function "principal_change_notify"()',
    },
  ],
});
export type RoleEntity = InferEntity<typeof Role>;

/** A role held by an HR user; `grantedBy` records whether the sync or a person granted it. */
export const UserRole = defineEntity({
  name: 'UserRole',
  tableName: 'user_role',
  properties: {
    hrUser: () => p.manyToOne(HrUser).mapToPk().primary().deleteRule('cascade'),
    role: () => p.manyToOne(Role).mapToPk().primary().deleteRule('cascade'),
    grantedBy: p.string().length(16).default('hr'),
    grantedAt: p.datetime().defaultRaw('now()'),
  },
  // A change of who a bearer token is notifies ehc_principals (src/application/principal-cache.ts);
  // the function is created by migration 20270106090000-principal-changes.
  triggers: [
    {
      name: 'user_role_principal_change',
      timing: 'after',
      events: ['insert', 'update', 'delete', 'truncate'],
      forEach: 'statement',
      expression:
        'create trigger "user_role_principal_change" after insert or update or delete or truncate on "user_role" for each statement execute function "principal_change_notify"()',
    },
  ],
});
export type UserRoleEntity = InferEntity<typeof UserRole>;
