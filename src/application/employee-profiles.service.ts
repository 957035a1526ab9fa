import type { CalendarDate } from '../domain/calendar-date.js';
import { employmentStatus, mustDeactivateHrUser } from '../domain/employment.js';
import { HR_FIELDS, fieldsStoredOn, recordKeyOf } from '../domain/hr-field.catalogue.js';
import { refusedEdits } from '../domain/hr-edit.js';
import { AppError, notFound } from './app-error.js';
import { pageOf, type Page } from './page.js';
import type { EmployeeProfile, ProfileFields, ProfileQuery } from './ports/employee-profile.port.js';
import type { Repositories } from './ports/repositories.port.js';

export type { CustomValue, EmployeeProfile, ProfileFields, ProfileQuery } from './ports/employee-profile.port.js';

/** Employee profiles (the HR record of a person employed), edited by HR admins. */
export class EmployeeProfilesService {
  constructor(private readonly repos: Repositories) {}

  async create(input: ProfileFields): Promise<EmployeeProfile> {
    return this.repos.transaction(async (tx) => {
      await assertManager(tx, null, input.managerProfileId);
      const created = await tx.employeeProfiles.create(input);
      if (created === 'taken') throw new AppError('conflict', emailTaken(input.email));
      return (await tx.employeeProfiles.get(created.id))!;
    });
  }

  async get(id: string): Promise<EmployeeProfile> {
    const profile = await this.repos.employeeProfiles.get(id);
    if (!profile) throw notFound('Employee profile');
    return profile;
  }

  /** Keyset pages by e-mail (unique case-insensitively), so a page costs the same wherever it is. */
  async list(query: ProfileQuery): Promise<Page<EmployeeProfile>> {
    const rows = await this.repos.employeeProfiles.list(query);
    return pageOf(rows, query.limit, (profile) => profile.email.toLowerCase());
  }

  /** A partial edit: fields absent are kept, null clears an optional field, customFields is replaced whole. */
  async update(id: string, patch: Partial<ProfileFields>): Promise<EmployeeProfile> {
    return this.repos.transaction(async (tx) => {
      const profile = await tx.employeeProfiles.lock(id);
      if (!profile) throw notFound('Employee profile');
      await assertNotOwnedByEntra(tx, profile, patch);
      if (patch.managerProfileId !== undefined) await assertManager(tx, id, patch.managerProfileId);
      if ((await tx.employeeProfiles.update(id, patch, 'hr')) === 'taken')
        throw new AppError('conflict', emailTaken(patch.email ?? ''));
      return (await tx.employeeProfiles.get(id))!;
    });
  }

  /** Connects the profile to the HR user with this e-mail (compared case-insensitively, rule 2.2). */
  async connect(id: string, email: string, actorId: string | null): Promise<EmployeeProfile> {
    return this.repos.transaction(async (tx) => {
      const profile = await tx.employeeProfiles.lock(id);
      if (!profile) throw notFound('Employee profile');
      const user = await tx.employeeProfiles.hrUserByEmail(email);
      if (!user) throw new AppError('not_found', `No HR user has the e-mail ${email}`);
      if (user.profileId === id) return profile;
      if (user.profileId)
        throw new AppError(
          'conflict',
          `The HR user ${user.email} is already connected to another employee profile (${user.profileId})`,
        );
      if (profile.hrUser)
        throw new AppError(
          'conflict',
          `This employee profile is already connected to ${profile.hrUser.email}; disconnect it first`,
        );
      if ((await tx.employeeProfiles.connect(id, user.id)) === 'taken')
        throw new AppError('conflict', `The HR user ${user.email} is already connected to another employee profile`);
      // An archived employee's account is deactivated, whenever the connection is made (rule 3.5).
      if (mustDeactivateHrUser(profile.employmentStatus)) await tx.hrUsers.deactivateArchivedEmployees('hr', [user.id]);
      await tx.audit.record([
        {
          actorId,
          action: 'employee-profile.connect',
          target: id,
          oldValue: null,
          newValue: { hrUserId: user.id, email: user.email },
        },
      ]);
      return (await tx.employeeProfiles.get(id))!;
    });
  }

  /** The HR user keeps its data and status; it only stops being owned by this profile. */
  async disconnect(id: string, actorId: string | null): Promise<EmployeeProfile> {
    return this.repos.transaction(async (tx) => {
      const profile = await tx.employeeProfiles.lock(id);
      if (!profile) throw notFound('Employee profile');
      if (!profile.hrUser) return profile;
      await tx.employeeProfiles.disconnect(id);
      await tx.audit.record([
        {
          actorId,
          action: 'employee-profile.disconnect',
          target: id,
          oldValue: { hrUserId: profile.hrUser.id, email: profile.hrUser.email },
          newValue: null,
        },
      ]);
      return (await tx.employeeProfiles.get(id))!;
    });
  }

  /**
   * Sets or clears the resignation date and recomputes the employment status (rule 3.5).
   * Archived: the HR user is deactivated. Cleared or moved ahead: an account this profile's
   * archiving deactivated is active again; any other deactivation stays.
   */
  async setResignation(
    id: string,
    date: CalendarDate | null,
    today: CalendarDate,
    actorId: string | null,
  ): Promise<EmployeeProfile> {
    return this.repos.transaction(async (tx) => {
      const profile = await tx.employeeProfiles.lock(id);
      if (!profile) throw notFound('Employee profile');
      const status = employmentStatus(date, today);
      await tx.employeeProfiles.setEmployment(id, date, status, 'hr');
      const hrUserId = profile.hrUser?.id;
      if (hrUserId && mustDeactivateHrUser(status)) await tx.hrUsers.deactivateArchivedEmployees('hr', [hrUserId]);
      if (hrUserId && !mustDeactivateHrUser(status) && mustDeactivateHrUser(profile.employmentStatus))
        await tx.hrUsers.reactivateUnarchivedEmployee(hrUserId, 'hr');
      if (date !== profile.resignationDate) {
        await tx.audit.record([
          {
            actorId,
            action: 'employee-profile.resignation',
            target: id,
            oldValue: profile.resignationDate,
            newValue: date,
          },
        ]);
      }
      return (await tx.employeeProfiles.get(id))!;
    });
  }
}

/**
 * The daily lifecycle (rule 3.5), set-based and in one transaction, so it is all or nothing: every
 * profile whose resignation date has come is archived, and the HR user of every archived profile
 * that is still active is deactivated (which also repairs an account reactivated by hand).
 */
export async function runEmploymentLifecycle(
  repos: Repositories,
  today: CalendarDate,
): Promise<{ archived: number; deactivated: number }> {
  employmentStatus(null, today); // validates `today` before any write
  return repos.transaction(async (tx) => ({
    archived: await tx.employeeProfiles.archiveDue(today),
    deactivated: await tx.hrUsers.deactivateArchivedEmployees('hr'),
  }));
}

/** Today's calendar date in a time zone (UTC unless the organisation's is given). */
export function calendarToday(now: Date = new Date(), timeZone = 'UTC'): CalendarDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Profile fields by the HR user field whose owner the settings choose (the manager is an Entra id there). */
const OWNED_AS = new Map(
  fieldsStoredOn('employeeProfile')
    .filter((field) => HR_FIELDS[field].owner?.configurable === true)
    .map((field) => [recordKeyOf(field, 'employeeProfile') as keyof ProfileFields, field]),
);

/**
 * A connected profile owns its HR user's data, except the fields the settings give to Entra for
 * every user (owner 'entra'): those follow Entra and an edit is refused with the reason (rule 8.5),
 * as it would be undone by the next run. A value sent unchanged is no edit.
 */
async function assertNotOwnedByEntra(
  tx: Repositories,
  profile: EmployeeProfile,
  patch: Partial<ProfileFields>,
): Promise<void> {
  if (!profile.hrUser) return;
  const changed = (Object.keys(patch) as Array<keyof ProfileFields>).filter(
    (f) => OWNED_AS.has(f) && patch[f] !== undefined && patch[f] !== profile[f],
  );
  if (changed.length === 0) return;
  const refused = refusedEdits(
    changed.map((f) => OWNED_AS.get(f)!),
    {
      linkedToEntra: await tx.employeeProfiles.hrUserLinkedToEntra(profile.hrUser.id),
      hasEmployeeProfile: true,
      owners: (await tx.settings.read()).fieldOwners,
    },
  );
  if (refused.length === 0) return;
  const fieldOf = (owned: string) => changed.find((f) => OWNED_AS.get(f) === owned)!;
  throw new AppError(
    'conflict',
    refused.map((r) => r.reason).join('; '),
    refused.map((r) => ({ path: `body.${fieldOf(r.field)}`, message: r.reason })),
  );
}

/** A manager must be another existing profile, and not one that reports (directly or not) to this one. */
async function assertManager(tx: Repositories, id: string | null, managerId: string | null | undefined): Promise<void> {
  if (!managerId) return;
  const invalid = (message: string) =>
    new AppError('validation_failed', `body.managerProfileId: ${message}`, [
      { path: 'body.managerProfileId', message },
    ]);
  if (managerId === id) throw invalid('a profile cannot be its own manager');
  const chain = await tx.employeeProfiles.managerChain(managerId, id);
  if (!chain.found) throw invalid('no employee profile has this id');
  if (chain.cycle) throw invalid('this profile is above the chosen manager already, so the chain would loop');
}

const emailTaken = (email: string) =>
  `An employee profile with the e-mail ${email} already exists (e-mails are compared case-insensitively)`;
