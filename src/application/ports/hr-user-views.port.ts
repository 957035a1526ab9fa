import type { FieldOwners } from '../../domain/ownership.js';

export interface HrUserSummary {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  active: boolean;
  origin: string;
  entraId: string | null;
  roles: string[];
}

/** What the user's detail shows beside its summary: every field with where it came from. */
export interface HrUserDetailRecord {
  fields: Record<string, string | null>;
  /** Which side wrote each field last, and when (ISO 8601 UTC). */
  sources: Record<string, { source: string; changedAt: string | null }>;
  customFields: Record<string, unknown>;
  hasEmployeeProfile: boolean;
  deactivatedReason: string | null;
  lastSyncedAt: string | null;
  owners: FieldOwners;
  /** Rule 2.8: the fields HR kept its own value over Entra's at the e-mail match. */
  kept: Record<string, unknown>;
}

export interface HrUserListQuery {
  /** Keyset: users whose e-mail sorts after this one (case-insensitively). */
  after?: string;
  /** Rows to read (a page reads one more to know whether another follows). */
  limit: number;
  active?: boolean;
  /** Matched literally anywhere in the e-mail or the name. */
  search?: string;
}

export interface UserRolesView {
  id: string;
  email: string;
  roles: string[];
}

/** Read models of HR users for the admin API; they change nothing. */
export interface HrUserViews {
  summary(id: string): Promise<HrUserSummary | null>;
  /** Ordered by e-mail, case-insensitively. */
  list(query: HrUserListQuery): Promise<HrUserSummary[]>;
  detail(id: string): Promise<HrUserDetailRecord | null>;
  picture(id: string): Promise<{ contentType: string; bytes: Buffer } | null>;
  roles(id: string): Promise<UserRolesView | null>;
  email(id: string): Promise<string | null>;
}
