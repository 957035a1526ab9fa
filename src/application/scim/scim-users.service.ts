import { looksLikeEmail, normaliseEmail } from '../../domain/matching.js';
import { USER_FILTER } from '../../scim/filter-attributes.js';
import { applyPatch } from '../../scim/patch-apply.js';
import { badScim, ScimError } from '../../scim/scim-error.js';
import { planFilter } from '../../scim/scim-filter.js';
import { listResponse, project, type ListQuery, type Projection } from '../../scim/scim-list.js';
import { isObject, readResourceBody, type Resource } from '../../scim/scim-resource.js';
import { ENTERPRISE_USER_SCHEMA, USER_RESOURCE } from '../../scim/scim-schemas.js';
import { readUser, renderUser, type ScimUserRecord, type ScimUserWrite } from '../../scim/scim-user.mapping.js';
import type { Repositories } from '../ports/repositories.port.js';
import type { ScimUserState } from '../ports/scim.port.js';
import { pushAccess, USER_SOURCES } from '../../domain/user-source.js';
import { checkIfMatch, notFound, outcome, requireAccess, versionOf, type ScimWriteOptions } from './scim-support.js';
import { assertStorable, planUserWrite } from './scim-user-write.js';

/**
 * The SCIM Users endpoint (RFC 7644 section 3) over HR users, for Entra's provisioning service
 * (docs/rules.md section 7): a push is matched by e-mail and creates a user once, then follows the
 * ownership rules pulled users follow; `active: false` and DELETE deactivate, never delete. Every
 * write is one transaction with its record in the run history.
 */
export class ScimUsersService {
  constructor(
    private readonly repos: Repositories,
    private readonly baseUrl: string,
  ) {}

  async list(query: ListQuery): Promise<Resource> {
    const plan = query.filter === undefined ? null : planFilter(query.filter, USER_FILTER);
    const page = await this.repos.scimUsers.list(plan, query);
    const resources = page.items.map((record) => project(renderUser(record, this.baseUrl), query.projection));
    return listResponse(resources, page.total, query.startIndex);
  }

  async get(id: string, projection: Projection = {}): Promise<Resource> {
    const record = await this.repos.scimUsers.get(id);
    if (!record) throw notFound('User', id);
    return project(renderUser(record, this.baseUrl), projection);
  }

  /** POST: a new HR user, or the HR user of that e-mail claimed once (rule 7.4); 409 when the userName is taken. */
  async create(body: unknown): Promise<Resource> {
    const write = readUser(readResourceBody(body, USER_RESOURCE));
    assertStorable(write);
    const email = emailOf(write);
    // Entra's initial cycle creates one user after another: a new user is one statement, and only
    // a refusal, a claim or a duplicate goes on to the transaction that decides which it is.
    const plain = write.managerId === null && Boolean(write.fields.firstName && write.fields.lastName);
    const created = plain ? await this.insert(this.repos, write, email) : null;
    if (created) return renderUser(created, this.baseUrl);
    const record = await this.repos.transaction(async (tx) => {
      const { userSource } = await tx.settings.read();
      requireAccess(userSource, null);
      const candidates = await tx.scimUsers.lockCandidates(write.userName, email);
      const claimable = claimableOf(candidates, write.userName, email);
      if (claimable) {
        // A POST means an active user unless it says otherwise.
        const claim = { ...write, active: write.active ?? true };
        return underLock(await this.write(tx, claimable, claim, requireAccess(userSource, claimable)));
      }
      const inserted = await this.insert(tx, await linkableManager(tx, write, null), email);
      if (!inserted) throw userNameTaken(write.userName);
      return inserted;
    });
    return renderUser(record, this.baseUrl);
  }

  /** PUT: the resource as sent replaces the user's (RFC 7644 section 3.5.1); absent `active` leaves it. */
  async replace(id: string, body: unknown, options: ScimWriteOptions = {}): Promise<Resource> {
    const write = readUser(readResourceBody(body, USER_RESOURCE));
    assertStorable(write);
    return this.modify(id, options, () => write);
  }

  /** PATCH: the operations applied to the user as SCIM shows it, then written like a PUT of the result. */
  async patch(id: string, body: unknown, options: ScimWriteOptions = {}): Promise<Resource> {
    return this.modify(id, options, (current) => {
      const write = readUser(applyPatch(current, body, USER_RESOURCE));
      assertStorable(write);
      return write;
    });
  }

  /** DELETE: the HR user is deactivated, never deleted (rule 7.3), and SCIM no longer shows it. */
  async delete(id: string, options: ScimWriteOptions = {}): Promise<void> {
    await this.repos.transaction(async (tx) => {
      const state = await tx.scimUsers.lock(id);
      if (!state) throw notFound('User', id);
      const access = requireAccess(state.userSource, state);
      checkIfMatch(versionOf(renderUser(state, this.baseUrl)), options.ifMatch);
      const deactivate = access === 'full' && state.active;
      if (deactivate) await tx.hrUsers.setActive(id, false, 'deleted-in-provisioning', 'scim');
      await tx.hrUsers.removeFromProvisioning(id, 'scim');
      const changes = [
        ...(deactivate ? [{ field: 'active', old: true, new: false }] : []),
        { field: 'userName', old: state.userName, new: null },
      ];
      await tx.scimHistory.record([
        outcome(deactivate ? 'deactivated' : 'updated', { ...state, id }, changes, 'deleted-in-provisioning'),
      ]);
    });
  }

  /**
   * A PUT or PATCH in two round trips: the user read with the settings, then one write with its
   * record that happens only if nothing the plan read has changed since (its stamp). A write that
   * lost that race is planned again under a row lock, in a transaction.
   */
  private async modify(
    id: string,
    options: ScimWriteOptions,
    next: (current: Resource) => ScimUserWrite,
  ): Promise<Resource> {
    const unlocked = await this.change(this.repos, await this.repos.scimUsers.read(id), id, options, next, true);
    const record =
      unlocked !== 'stale'
        ? unlocked
        : await this.repos.transaction(async (tx) =>
            underLock(await this.change(tx, await tx.scimUsers.lock(id), id, options, next, false)),
          );
    return renderUser(record, this.baseUrl);
  }

  private async change(
    repos: Repositories,
    state: ScimUserState | null,
    id: string,
    options: ScimWriteOptions,
    next: (current: Resource) => ScimUserWrite,
    optimistic: boolean,
  ): Promise<ScimUserRecord | 'stale'> {
    if (!state) throw notFound('User', id);
    const access = requireAccess(state.userSource, state);
    const current = renderUser(state, this.baseUrl);
    checkIfMatch(versionOf(current), options.ifMatch);
    return this.write(repos, state, next(current), access, optimistic ? state.stamp : undefined);
  }

  /** The push's changes and their record in the history; the user as it reads afterwards. */
  private async write(
    tx: Repositories,
    state: ScimUserState,
    write: ScimUserWrite,
    access: ReturnType<typeof requireAccess>,
    stamp?: string,
  ): Promise<ScimUserRecord | 'stale'> {
    const linkable = write.managerId === state.managerId ? write : await linkableManager(tx, write, state.id);
    const plan = planUserWrite(state, linkable, access);
    const { status } = plan;
    const changes = [...plan.changes];
    if (status.action !== 'none')
      changes.push({ field: 'active', old: state.active, new: status.action === 'reactivate' });
    const change = {
      ...plan.change,
      ...(status.action === 'deactivate' ? { status: { active: false, reason: status.reason } } : {}),
      ...(status.action === 'reactivate' ? { status: { active: true, reason: null } } : {}),
    };
    if (changes.length === 0 && Object.keys(change).length === 0) return state;
    const kind =
      status.action === 'deactivate' ? 'deactivated' : status.action === 'reactivate' ? 'reactivated' : 'updated';
    const reason =
      status.action === 'deactivate'
        ? status.reason
        : access === 'full'
          ? null
          : 'the Graph sync owns this user (userSource both)';
    const recorded = changes.length ? [outcome(kind, state, changes, reason)] : [];
    const written = await tx.hrUsers.writeProvisioned(state.id, change, 'scim', recorded, stamp);
    if (written === 'taken') throw userNameTaken(write.userName);
    return written;
  }

  /**
   * A new HR user of the push, with its creation in the history; null when none was made: the
   * setting refuses pushes, or its userName or e-mail is taken.
   */
  private async insert(repos: Repositories, write: ScimUserWrite, email: string): Promise<ScimUserRecord | null> {
    const { firstName, lastName } = write.fields;
    if (!firstName || !lastName)
      throw badScim(
        'invalidValue',
        'name.givenName and name.familyName are required: an HR user has a given name and a surname (rule 2.3)',
      );
    const active = write.active ?? true;
    const changes = [
      { field: 'userName', old: null, new: write.userName },
      ...Object.entries({ ...write.fields, email })
        .filter(([, value]) => value !== null && value !== undefined)
        .map(([field, value]) => ({ field, old: null, new: value })),
    ];
    return repos.hrUsers.createProvisioned(
      {
        userName: write.userName,
        externalId: write.externalId,
        attributes: Object.keys(write.attributes).length ? write.attributes : null,
        email,
        fields: { ...write.fields, displayName: write.fields.displayName ?? `${firstName} ${lastName}` },
        managerId: write.managerId,
        active,
        deactivatedReason: active ? null : 'inactive-in-provisioning',
      },
      'scim',
      PUSH_SOURCES,
      outcome('created', { id: null, email, entraId: null }, changes),
    );
  }
}

/** The userSource values under which a push may create users. */
const PUSH_SOURCES = USER_SOURCES.filter((source) => pushAccess(source, null) !== 'refused');

/** A write under the row lock: nobody can have changed the user meanwhile. */
function underLock(written: ScimUserRecord | 'stale'): ScimUserRecord {
  if (written === 'stale') throw new Error('a write under the row lock found its user changed');
  return written;
}

/** The HR e-mail of a pushed user: its work e-mail, else a userName that is an e-mail address. */
function emailOf(write: ScimUserWrite): string {
  const email = write.fields.email ?? (looksLikeEmail(write.userName) ? write.userName : null);
  if (!email || !looksLikeEmail(email))
    throw badScim(
      'invalidValue',
      'An HR user needs an e-mail address: send emails[type eq "work"].value, or a userName that is an e-mail address',
    );
  return email.trim();
}

/**
 * The HR user a POST claims instead of creating one (rule 7.4): the one user with its e-mail (or
 * answering to its userName) that no push has written yet. A user a push already wrote with that
 * userName or e-mail makes the POST a duplicate (409, RFC 7644 section 3.3).
 */
function claimableOf(candidates: ScimUserState[], userName: string, email: string): ScimUserState | null {
  const taken = candidates.find((c) => c.provisioned);
  if (taken) {
    const byName = taken.userName.toLowerCase() === userName.toLowerCase();
    throw byName
      ? userNameTaken(userName)
      : new ScimError(409, `The e-mail ${email} belongs to another User (${taken.id})`, 'uniqueness');
  }
  if (candidates.length > 1)
    throw new ScimError(
      409,
      `userName ${userName} and e-mail ${normaliseEmail(email)} belong to two different HR users; neither is claimed`,
      'uniqueness',
    );
  return candidates[0] ?? null;
}

function userNameTaken(userName: string): ScimError {
  return new ScimError(409, `userName ${userName} is already in use (compared case-insensitively)`, 'uniqueness');
}

/**
 * The write with its manager linked when `manager.value` is the id of a User here; otherwise kept
 * as sent, unlinked, like what HR has no field for. Entra sends the ids this service gave, but
 * Microsoft's SCIM Validator creates users with a made-up manager, which must not fail the create.
 */
async function linkableManager(tx: Repositories, write: ScimUserWrite, self: string | null): Promise<ScimUserWrite> {
  if (write.managerId === null) return write;
  if (write.managerId === self) throw badScim('invalidValue', 'A user cannot be its own manager');
  if ((await tx.scimUsers.existing([write.managerId])).length) return write;
  const extension = write.attributes[ENTERPRISE_USER_SCHEMA];
  return {
    ...write,
    managerId: null,
    attributes: {
      ...write.attributes,
      [ENTERPRISE_USER_SCHEMA]: { ...(isObject(extension) ? extension : {}), manager: { value: write.managerId } },
    },
  };
}
