import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * The directory mirror: what the last delta rounds said of Entra's users, groups and memberships.
 * Fetching (Graph -> mirror) and applying (mirror -> HR users) are two stages, so a run that dies
 * midway resumes from stored state, a preview reads the same input as the next run, and the apply
 * stage works in sets of rows instead of holding the tenant in memory.
 */
export const EntraUser = defineEntity({
  name: 'EntraUser',
  tableName: 'entra_user',
  properties: {
    entraId: p.string().length(64).primary(),
    /** The selected Graph properties, as Graph names them. */
    properties: p.json<Record<string, unknown>>(),
    managerEntraId: p.string().length(64).nullable(),
    /** null = present; 'changed' (soft-deleted), 'deleted' (gone) or 'missing' (absent from a full round). */
    removed: p.string().length(16).nullable(),
    /** The full round that last saw the user (objects unseen by a full round are gone). */
    seenRound: p.bigint('number').default(0),
    /** Bumped from entra_change_seq whenever the user or one of its memberships changes. */
    changedSeq: p.bigint('number'),
  },
  indexes: [{ properties: ['changedSeq'] }],
});
export type EntraUserEntity = InferEntity<typeof EntraUser>;

export const EntraGroup = defineEntity({
  name: 'EntraGroup',
  tableName: 'entra_group',
  properties: {
    entraId: p.string().length(64).primary(),
    displayName: p.string().length(256).nullable(),
    removed: p.string().length(16).nullable(),
    seenRound: p.bigint('number').default(0),
  },
});
export type EntraGroupEntity = InferEntity<typeof EntraGroup>;

/** Direct memberships of every group; nested groups are followed by recursive queries. */
export const EntraGroupMember = defineEntity({
  name: 'EntraGroupMember',
  tableName: 'entra_group_member',
  properties: {
    groupId: p.string().length(64).primary(),
    memberId: p.string().length(64).primary(),
    /** 'user' | 'group' | 'other' (devices, service principals: ignored, rule 2.1). */
    memberType: p.string().length(8),
    seenRound: p.bigint('number').default(0),
  },
  indexes: [
    { properties: ['memberId'] },
    // The group-in-group edges alone: nested groups are followed without reading every membership.
    {
      name: 'entra_group_member_nested_index',
      expression:
        'create index "entra_group_member_nested_index" on "entra_group_member" ("group_id") where "member_type" = \'group\'',
    },
  ],
});
export type EntraGroupMemberEntity = InferEntity<typeof EntraGroupMember>;

/** Where the inbound apply stage stands: one row (id 1). The channel's own state is in sync_channel. */
export const SyncState = defineEntity({
  name: 'SyncState',
  tableName: 'sync_state',
  properties: {
    id: p.integer().primary().autoincrement(false),
    /** Mirror changes up to this sequence number are applied to HR users. */
    appliedSeq: p.bigint('number').default(0),
    lastFullAt: p.datetime().nullable(),
    /** Fingerprint of the settings the last apply used; a change forces a full apply. */
    settingsFingerprint: p.string().length(64).nullable(),
    /** When managers were last resolved: the next resolution looks only at HR users written since. */
    managersResolvedAt: p.datetime().nullable(),
    /** When rule 3.2's look at inactive HR users last ran: the next look covers those changed since. */
    reactivationsCheckedAt: p.datetime().nullable(),
  },
});
export type SyncStateEntity = InferEntity<typeof SyncState>;

/** Deactivations a run decided but has not applied: held by the guard (rule 3.6) until confirmed. */
export const PendingDeactivation = defineEntity({
  name: 'PendingDeactivation',
  tableName: 'pending_deactivation',
  properties: {
    runId: p.uuid().primary(),
    hrUserId: p.uuid().primary(),
    entraId: p.string().length(64).nullable(),
    email: p.string().length(320),
    reason: p.string().length(64),
  },
});
export type PendingDeactivationEntity = InferEntity<typeof PendingDeactivation>;
