import type { CalendarDate } from '../../domain/calendar-date.js';
import type { ChangeOrigin } from '../../domain/change-origin.js';
import type { EmploymentStatus } from '../../domain/employment.js';
import type { RecordValues } from '../../domain/hr-field.catalogue.js';

export type CustomValue = string | number | boolean | null;

/** An employee profile's own fields, as the admin API takes them: the catalogued fields a profile holds, and custom ones. */
export type ProfileFields = RecordValues<'employeeProfile'> & { customFields?: Record<string, CustomValue> };

export type EmployeeProfile = Required<ProfileFields> & {
  id: string;
  resignationDate: CalendarDate | null;
  employmentStatus: EmploymentStatus;
  hrUser: { id: string; email: string; active: boolean; deactivatedReason: string | null } | null;
  createdAt: string;
  updatedAt: string;
};

export interface ProfileQuery {
  after?: string;
  limit: number;
  status?: EmploymentStatus;
  connected?: boolean;
  department?: string;
  search?: string;
}

/** An HR user an employee profile may be connected to, with the profile it already has. */
export interface ConnectableHrUser {
  id: string;
  email: string;
  profileId: string | null;
  linkedToEntra: boolean;
}

/**
 * Employee profiles (rule 2.4, 3.5), inside the caller's transaction. A write that would give two
 * profiles one e-mail (compared case-insensitively) or one HR user answers 'taken' instead of failing.
 */
export interface EmployeeProfileRepository {
  get(id: string): Promise<EmployeeProfile | null>;
  /** As get, and locked until the transaction ends. */
  lock(id: string): Promise<EmployeeProfile | null>;
  /** Up to `limit + 1` profiles in e-mail order (case-insensitively) after `after`, so the caller knows a next page exists. */
  list(query: ProfileQuery): Promise<EmployeeProfile[]>;
  create(fields: ProfileFields): Promise<{ id: string } | 'taken'>;
  /**
   * Writes the fields given; absent ones keep their value. HR's change of a connected profile's
   * permitted field is recorded for write-back in the same transaction (rule 4.1).
   */
  update(id: string, fields: Partial<ProfileFields>, origin: ChangeOrigin): Promise<'updated' | 'taken'>;
  /** Whether the profile exists, and whether it sits above `id` in the manager chain (so would loop). */
  managerChain(managerId: string, id: string | null): Promise<{ found: boolean; cycle: boolean }>;
  hrUserByEmail(email: string): Promise<ConnectableHrUser | null>;
  hrUserLinkedToEntra(hrUserId: string): Promise<boolean>;
  connect(id: string, hrUserId: string): Promise<'connected' | 'taken'>;
  disconnect(id: string): Promise<void>;
  /** A changed resignation date of a connected profile is recorded for write-back as its leave date (rule 4.1). */
  setEmployment(
    id: string,
    resignationDate: CalendarDate | null,
    status: EmploymentStatus,
    origin: ChangeOrigin,
  ): Promise<void>;
  /**
   * Archives every profile whose resignation date has come (on or before `today`) and returns how
   * many; their HR users are deactivated through the HR user repository.
   */
  archiveDue(today: CalendarDate): Promise<number>;
}
