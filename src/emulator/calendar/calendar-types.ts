import type { Props } from '../store/store-types.js';

/**
 * Roles a calendar can be shared with (calendarRoleType,
 * https://learn.microsoft.com/graph/api/resources/calendarpermission). Write access comes with
 * `write` and both delegate roles.
 */
export const SHARE_ROLES = [
  'freeBusyRead',
  'limitedRead',
  'read',
  'write',
  'delegateWithoutPrivateEventAccess',
  'delegateWithPrivateEventAccess',
] as const;
export type ShareRole = (typeof SHARE_ROLES)[number];

export const WRITE_ROLES: ReadonlySet<ShareRole> = new Set([
  'write',
  'delegateWithoutPrivateEventAccess',
  'delegateWithPrivateEventAccess',
]);

/** A calendar folder of a mailbox (https://learn.microsoft.com/graph/api/resources/calendar). */
export interface CalendarRecord {
  id: string;
  /** The owner's user id. */
  mailboxId: string;
  name: string;
  color: string;
  hexColor: string;
  isDefaultCalendar: boolean;
  changeKey: string;
}

/**
 * A calendar another user shared or delegated, as it appears in the sharee's calendar list once
 * accepted: an id of its own in the sharee's mailbox, pointing at the owner's calendar
 * (https://learn.microsoft.com/graph/outlook-share-or-delegate-calendar).
 */
export interface CalendarLink {
  id: string;
  /** The sharee's user id. */
  mailboxId: string;
  calendarId: string;
  role: ShareRole;
  changeKey: string;
}

/** What a property of a single instance or a series master holds, as Graph spells it. */
export interface EventRecord {
  id: string;
  calendarId: string;
  type: 'singleInstance' | 'seriesMaster';
  /** subject, body, start, end, isAllDay, recurrence, ... as written (times in their own zone). */
  p: Props;
  changeKey: string;
  createdMs: number;
  lastModifiedMs: number;
  /** The store's change sequence at the last change (delta reports what changed after a state). */
  seq: number;
  /** singleValueExtendedProperties, keyed by their normalised id. */
  ext: Map<string, { id: string; value: string }>;
  /** Per occurrence of a series (its original start, UTC ms): an edit or a deletion. */
  exceptions: Map<number, OccurrenceOverride>;
}

export interface OccurrenceOverride {
  deleted: boolean;
  /** Properties changed on this occurrence only (start and end among them when it moved). */
  p: Props;
  changeKey: string;
  lastModifiedMs: number;
}

/** One entry of a calendar view: a single instance, or an occurrence or exception of a series. */
export interface Instance {
  id: string;
  event: EventRecord;
  type: 'singleInstance' | 'occurrence' | 'exception';
  /** Occurrences and exceptions: where the series put them (UTC ms). */
  originalStartMs?: number;
  startMs: number;
  endMs: number;
  /** The series' properties with the occurrence's own changes over them. */
  p: Props;
  changeKey: string;
  lastModifiedMs: number;
}
