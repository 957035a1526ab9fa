import { randomBytes } from 'node:crypto';
import type { DirectoryStore } from '../store/directory-store.js';
import type { Props, UserRecord } from '../store/store-types.js';
import {
  WRITE_ROLES,
  type CalendarLink,
  type CalendarRecord,
  type EventRecord,
  type OccurrenceOverride,
  type ShareRole,
} from './calendar-types.js';

/** Outlook ids are opaque base64 with `=`; the emulator's carry one so that encoding bugs show. */
export function outlookId(kind = 'AAMkA'): string {
  return `${kind}${randomBytes(18).toString('base64url')}=`;
}

export function newChangeKey(): string {
  return randomBytes(12).toString('base64');
}

/** A calendar as a mailbox sees it: its own, or another's reached through a share. */
export interface ReachedCalendar {
  /** The id in the asking mailbox (the link's id for a shared calendar). */
  id: string;
  calendar: CalendarRecord;
  link?: CalendarLink;
  canEdit: boolean;
}

export type ChangeType = 'created' | 'updated' | 'deleted';
export type ChangeListener = (calendar: CalendarRecord, eventId: string, change: ChangeType) => void;

/**
 * Mailboxes, their calendars, shares and events. Graph routes and the control API (acting as a
 * user in Outlook) both change calendars only through these methods, so every change bumps the
 * calendar's sequence, gets a new changeKey and reaches change notifications.
 */
export class CalendarStore {
  readonly calendars = new Map<string, CalendarRecord>();
  readonly links = new Map<string, CalendarLink>();
  readonly events = new Map<string, EventRecord>();
  /** Each calendar's events: a view reads one calendar, not the tenant's (quadratic at 2,000 mailboxes). */
  private readonly eventsByCalendar = new Map<string, Map<string, EventRecord>>();
  /** Deleted events by id: the calendar they were in and the sequence of their deletion. */
  readonly tombstones = new Map<string, { calendarId: string; seq: number }>();
  private readonly byTransaction = new Map<string, string>();
  private seq = 0;
  private readonly listeners: ChangeListener[] = [];

  constructor(
    private readonly directory: () => DirectoryStore,
    private readonly now: () => number,
  ) {}

  get lastSeq(): number {
    return this.seq;
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  clear(): void {
    this.calendars.clear();
    this.links.clear();
    this.events.clear();
    this.eventsByCalendar.clear();
    this.tombstones.clear();
    this.byTransaction.clear();
  }

  /** The user behind a mailbox id or UPN; undefined when unknown or without a mailbox (no mail). */
  mailbox(idOrUpn: string): UserRecord | undefined {
    const user = this.directory().getUser(idOrUpn);
    return user && typeof user.p['mail'] === 'string' && user.p['mail'] !== '' ? user : undefined;
  }

  /** The mailbox's default calendar, created on first use as Exchange provisions one with the mailbox. */
  defaultCalendar(mailboxId: string): CalendarRecord {
    for (const calendar of this.calendars.values())
      if (calendar.mailboxId === mailboxId && calendar.isDefaultCalendar) return calendar;
    return this.createCalendar(mailboxId, 'Calendar', true);
  }

  createCalendar(mailboxId: string, name: string, isDefault = false): CalendarRecord {
    // The mailbox had its default calendar before any other.
    if (!isDefault) this.defaultCalendar(mailboxId);
    const calendar: CalendarRecord = {
      id: outlookId(),
      mailboxId,
      name,
      color: 'auto',
      hexColor: '',
      isDefaultCalendar: isDefault,
      changeKey: newChangeKey(),
    };
    this.calendars.set(calendar.id, calendar);
    return calendar;
  }

  deleteCalendar(calendarId: string): void {
    for (const event of this.eventsIn(calendarId)) this.deleteEvent(event.id);
    for (const link of [...this.links.values()]) if (link.calendarId === calendarId) this.links.delete(link.id);
    this.calendars.delete(calendarId);
  }

  /** Every calendar the mailbox lists: its own (the default first made) and the shares it accepted. */
  reachable(mailboxId: string): ReachedCalendar[] {
    this.defaultCalendar(mailboxId);
    const own = [...this.calendars.values()]
      .filter((c) => c.mailboxId === mailboxId)
      .map((calendar) => ({ id: calendar.id, calendar, canEdit: true }));
    const shared = [...this.links.values()]
      .filter((link) => link.mailboxId === mailboxId && this.calendars.has(link.calendarId))
      .map((link) => ({
        id: link.id,
        calendar: this.calendars.get(link.calendarId)!,
        link,
        canEdit: WRITE_ROLES.has(link.role),
      }));
    return [...own, ...shared];
  }

  reach(mailboxId: string, calendarId: string): ReachedCalendar | undefined {
    return this.reachable(mailboxId).find((c) => c.id === calendarId);
  }

  share(calendarId: string, shareeId: string, role: ShareRole): CalendarLink {
    const link: CalendarLink = { id: outlookId(), mailboxId: shareeId, calendarId, role, changeKey: newChangeKey() };
    this.links.set(link.id, link);
    return link;
  }

  setShareRole(linkId: string, role: ShareRole): void {
    const link = this.links.get(linkId);
    if (!link) throw new Error(`no shared calendar ${linkId}`);
    link.role = role;
    link.changeKey = newChangeKey();
  }

  unshare(linkId: string): void {
    this.links.delete(linkId);
  }

  eventsIn(calendarId: string): EventRecord[] {
    return [...(this.eventsByCalendar.get(calendarId)?.values() ?? [])];
  }

  /** The event created earlier in this mailbox with the same transactionId, if any. */
  byTransactionId(mailboxId: string, transactionId: string): EventRecord | undefined {
    const id = this.byTransaction.get(`${mailboxId}\u0000${transactionId}`);
    return id === undefined ? undefined : this.events.get(id);
  }

  createEvent(calendar: CalendarRecord, p: Props, ext: Array<{ id: string; value: string }> = []): EventRecord {
    const now = this.now();
    const event: EventRecord = {
      id: outlookId(),
      calendarId: calendar.id,
      type: p['recurrence'] ? 'seriesMaster' : 'singleInstance',
      p: { iCalUId: `040000008200E00074C5B7101A82E008${randomBytes(24).toString('hex').toUpperCase()}`, ...p },
      changeKey: newChangeKey(),
      createdMs: now,
      lastModifiedMs: now,
      seq: ++this.seq,
      ext: new Map(ext.map((e) => [extendedPropertyKey(e.id), e])),
      exceptions: new Map(),
    };
    this.events.set(event.id, event);
    let inCalendar = this.eventsByCalendar.get(event.calendarId);
    if (!inCalendar) this.eventsByCalendar.set(event.calendarId, (inCalendar = new Map()));
    inCalendar.set(event.id, event);
    if (typeof p['transactionId'] === 'string')
      this.byTransaction.set(`${calendar.mailboxId}\u0000${p['transactionId']}`, event.id);
    this.emit(calendar, event.id, 'created');
    return event;
  }

  /** Applies changes to a series or a single instance (null clears); a new changeKey either way. */
  updateEvent(event: EventRecord, changes: Props, ext: Array<{ id: string; value: string }> = []): void {
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) delete event.p[key];
      else event.p[key] = value;
    }
    for (const e of ext) event.ext.set(extendedPropertyKey(e.id), e);
    if ('recurrence' in changes) {
      event.type = event.p['recurrence'] ? 'seriesMaster' : 'singleInstance';
      event.exceptions.clear();
    }
    this.touch(event);
  }

  /** Changes or deletes one occurrence of a series: an exception of its own. */
  overrideOccurrence(event: EventRecord, originalStartMs: number, change: Props | 'deleted'): OccurrenceOverride {
    const previous = event.exceptions.get(originalStartMs);
    const override: OccurrenceOverride = {
      deleted: change === 'deleted',
      p: change === 'deleted' ? (previous?.p ?? {}) : { ...previous?.p, ...change },
      changeKey: newChangeKey(),
      lastModifiedMs: this.now(),
    };
    event.exceptions.set(originalStartMs, override);
    this.touch(event, false);
    return override;
  }

  deleteEvent(eventId: string): void {
    const event = this.events.get(eventId);
    if (!event) return;
    this.events.delete(eventId);
    this.eventsByCalendar.get(event.calendarId)?.delete(eventId);
    this.tombstones.set(eventId, { calendarId: event.calendarId, seq: ++this.seq });
    const calendar = this.calendars.get(event.calendarId);
    if (calendar) this.emit(calendar, eventId, 'deleted');
  }

  private touch(event: EventRecord, newKey = true): void {
    if (newKey) event.changeKey = newChangeKey();
    event.lastModifiedMs = this.now();
    event.seq = ++this.seq;
    const calendar = this.calendars.get(event.calendarId);
    if (calendar) this.emit(calendar, event.id, 'updated');
  }

  private emit(calendar: CalendarRecord, eventId: string, change: ChangeType): void {
    for (const listener of this.listeners) listener(calendar, eventId, change);
  }
}

/**
 * Extended property ids (`String {guid} Name X`): the type and the GUID compare without regard to
 * case, the name with it ("Filtering the string name (Name) in the id of an extended property is
 * case-sensitive", https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-get).
 */
export function extendedPropertyKey(id: string): string {
  const m = /^(\w+)\s+\{([0-9a-fA-F-]+)\}\s+(Name|Id)\s+(.+)$/i.exec(id.trim());
  if (!m) return id.trim();
  return `${m[1]!.toLowerCase()} {${m[2]!.toLowerCase()}} ${m[3]!.toLowerCase()} ${m[4]}`;
}
