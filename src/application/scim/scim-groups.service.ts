import { GROUP_FILTER } from '../../scim/filter-attributes.js';
import { badScim, ScimError } from '../../scim/scim-error.js';
import { planFilter } from '../../scim/scim-filter.js';
import { listResponse, project, type ListQuery, type Projection } from '../../scim/scim-list.js';
import { groupVersionBasis, readGroup, renderGroup, type ScimGroupRecord } from '../../scim/scim-group.mapping.js';
import { planGroupPatch, type MembershipChange } from '../../scim/scim-group.patch.js';
import { weakTag } from '../../scim/scim-user.mapping.js';
import type { Resource } from '../../scim/scim-resource.js';
import type { Repositories } from '../ports/repositories.port.js';
import { membershipOutcomes, syncPushedRoles } from './pushed-roles.js';
import { checkIfMatch, notFound, outcome, requireAccess, type ScimWriteOptions } from './scim-support.js';

/**
 * The SCIM Groups endpoint: groups Entra's provisioning service pushes, whose members are HR users.
 * They play the synced groups' part for pushed users: a role mapping names one by its Entra object
 * id (its externalId), and a membership change applies the role-sync policy to the users it touches
 * (docs/rules.md 5.5, 7.4). Groups are matched on displayName, unique case-insensitively.
 */
export class ScimGroupsService {
  constructor(
    private readonly repos: Repositories,
    private readonly baseUrl: string,
  ) {}

  async list(query: ListQuery): Promise<Resource> {
    const plan = query.filter === undefined ? null : planFilter(query.filter, GROUP_FILTER);
    const page = await this.repos.scimGroups.list(plan, query, wantsMembers(query.projection));
    const resources = page.items.map((g) => project(renderGroup(g, this.baseUrl), query.projection));
    return listResponse(resources, page.total, query.startIndex);
  }

  async get(id: string, projection: Projection = {}): Promise<Resource> {
    const group = await this.repos.scimGroups.get(id, wantsMembers(projection));
    if (!group) throw notFound('Group', id);
    return project(renderGroup(group, this.baseUrl), projection);
  }

  async create(body: unknown): Promise<Resource> {
    const group = readGroup(body);
    const id = await this.repos.transaction(async (tx) => {
      const settings = await tx.settings.read();
      requireAccess(settings.userSource, null);
      await assertUsers(tx, group.members);
      const created = await tx.scimGroups.create(group);
      if (!created) throw nameTaken(group.displayName);
      const added = await tx.scimGroups.addMembers(created, group.members);
      await this.record(
        tx,
        settings,
        group.displayName,
        added,
        [],
        [
          outcome(
            'updated',
            { id: null, email: null, entraId: null },
            [{ field: 'group', old: null, new: group.displayName }],
            `SCIM group ${created} created`,
          ),
        ],
      );
      return created;
    });
    return this.get(id);
  }

  /** PUT: name, externalId and the member list as sent. */
  async replace(id: string, body: unknown, options: ScimWriteOptions = {}): Promise<Resource> {
    const group = readGroup(body);
    await this.modify(id, options, async (tx) => {
      await assertUsers(tx, group.members);
      return {
        change: { displayName: group.displayName, externalId: group.externalId },
        members: [{ kind: 'clear' }, { kind: 'add', ids: group.members }],
      };
    });
    return this.get(id);
  }

  /** PATCH answers 204: Entra does not need the group back (Microsoft Learn, "Group Operations"). */
  async patch(id: string, body: unknown, options: ScimWriteOptions = {}): Promise<void> {
    const plan = planGroupPatch(body);
    await this.modify(id, options, async (tx) => {
      await assertUsers(
        tx,
        plan.members.flatMap((m) => (m.kind === 'add' ? m.ids : [])),
      );
      return {
        change: {
          ...(plan.displayName !== undefined ? { displayName: plan.displayName } : {}),
          ...(plan.externalId !== undefined ? { externalId: plan.externalId } : {}),
        },
        members: plan.members,
      };
    });
  }

  /** The group goes; its members keep their roles, as ordinary ones (rule 5.4). */
  async delete(id: string, options: ScimWriteOptions = {}): Promise<void> {
    await this.repos.transaction(async (tx) => {
      const group = await tx.scimGroups.lock(id);
      if (!group) throw notFound('Group', id);
      const settings = await tx.settings.read();
      requireAccess(settings.userSource, null);
      checkIfMatch(weakTag(groupVersionBasis(group)), options.ifMatch);
      const removed = await tx.scimGroups.clearMembers(id);
      await tx.scimGroups.delete(id);
      await this.record(tx, settings, group.displayName, [], removed, [
        outcome(
          'updated',
          { id: null, email: null, entraId: null },
          [{ field: 'group', old: group.displayName, new: null }],
          `SCIM group ${id} deleted`,
        ),
      ]);
    });
  }

  private async modify(
    id: string,
    options: ScimWriteOptions,
    decide: (
      tx: Repositories,
    ) => Promise<{ change: { displayName?: string; externalId?: string | null }; members: MembershipChange[] }>,
  ): Promise<void> {
    await this.repos.transaction(async (tx) => {
      const group = await tx.scimGroups.lock(id);
      if (!group) throw notFound('Group', id);
      const settings = await tx.settings.read();
      requireAccess(settings.userSource, null);
      checkIfMatch(weakTag(groupVersionBasis(group)), options.ifMatch);
      const { change, members } = await decide(tx);
      const { added, removed } = await applyMembers(tx, id, members);
      const renamed = change.displayName !== undefined && change.displayName !== group.displayName;
      const reidentified = change.externalId !== undefined && change.externalId !== group.externalId;
      if (renamed || reidentified || added.length || removed.length)
        if ((await tx.scimGroups.update(id, change)) === 'taken') throw nameTaken(change.displayName!);
      const name = change.displayName ?? group.displayName;
      const own = renamed || reidentified ? [groupOutcome(group, change)] : [];
      await this.record(tx, settings, name, added, removed, own);
    });
  }

  private async record(
    tx: Repositories,
    settings: { roleSync: boolean; userSource: 'pull' | 'push' | 'both' },
    name: string,
    added: string[],
    removed: string[],
    own: ReturnType<typeof outcome>[],
  ): Promise<void> {
    const roles = await syncPushedRoles(tx, [...added, ...removed], settings);
    await tx.scimHistory.record([...own, ...membershipOutcomes(name, added, removed, roles)]);
  }
}

/** Applies the membership changes in order; the users who joined and who left, net. */
async function applyMembers(
  tx: Repositories,
  id: string,
  changes: readonly MembershipChange[],
): Promise<{ added: string[]; removed: string[] }> {
  const added = new Set<string>();
  const removed = new Set<string>();
  for (const change of changes) {
    const ids =
      change.kind === 'add'
        ? await tx.scimGroups.addMembers(id, change.ids)
        : change.kind === 'remove'
          ? await tx.scimGroups.removeMembers(id, change.ids)
          : await tx.scimGroups.clearMembers(id);
    for (const user of ids) {
      if (change.kind === 'add') {
        if (!removed.delete(user)) added.add(user);
      } else if (!added.delete(user)) removed.add(user);
    }
  }
  return { added: [...added], removed: [...removed] };
}

function groupOutcome(group: ScimGroupRecord, change: { displayName?: string; externalId?: string | null }) {
  const changes = [
    ...(change.displayName !== undefined && change.displayName !== group.displayName
      ? [{ field: 'group', old: group.displayName, new: change.displayName }]
      : []),
    ...(change.externalId !== undefined && change.externalId !== group.externalId
      ? [{ field: 'group.externalId', old: group.externalId, new: change.externalId }]
      : []),
  ];
  return outcome('updated', { id: null, email: null, entraId: null }, changes, `SCIM group ${group.id} changed`);
}

/** Members are users of this service: an id that is none is refused (RFC 7644 section 3.5.2 allows 400). */
async function assertUsers(tx: Repositories, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = new Set(await tx.scimUsers.existing(ids));
  const unknown = [...new Set(ids)].filter((id) => !found.has(id));
  if (unknown.length)
    throw badScim(
      'invalidValue',
      `members: no User with id ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', ...' : ''}`,
    );
}

function nameTaken(name: string): ScimError {
  return new ScimError(409, `A group named ${name} already exists (compared case-insensitively)`, 'uniqueness');
}

/** Members are read only when the answer shows them. */
function wantsMembers(projection: Projection): boolean {
  if (projection.attributes) return projection.attributes.some((p) => p.attribute?.name === 'members');
  return !projection.excluded?.some((p) => p.attribute?.name === 'members' && !p.sub);
}
