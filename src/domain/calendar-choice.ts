/**
 * Which Microsoft 365 calendars of a user appear in HR (docs/rules.md §6.2): every calendar the
 * user can edit, their own and those shared with or delegated to them with edit rights; the
 * default calendar always enabled, every other one added disabled until the employee enables it;
 * a calendar that disappears or loses edit rights leaves HR.
 */

/** A calendar as the user's mailbox lists it. */
export interface MailboxCalendar {
  /** The calendar's id in this user's mailbox. */
  sourceId: string;
  name: string;
  isDefault: boolean;
  canEdit: boolean;
  owner: { name: string; address: string } | null;
}

/** A calendar as HR holds it. */
export interface HrCalendar {
  id: string;
  sourceId: string;
  name: string;
  isDefault: boolean;
  enabled: boolean;
  ownerName: string | null;
  ownerAddress: string | null;
}

export interface CalendarChange {
  id: string;
  name: string;
  isDefault: boolean;
  enabled: boolean;
  ownerName: string | null;
  ownerAddress: string | null;
}

export interface CalendarPlan {
  add: Array<Omit<HrCalendar, 'id'>>;
  change: CalendarChange[];
  /** HR calendar ids: gone from the mailbox, or no longer editable. */
  remove: string[];
}

/**
 * What HR's calendars of one user become, given the calendars the mailbox lists now. A calendar
 * that becomes the default one is enabled; a calendar keeps the choice the employee made otherwise.
 */
export function planCalendars(hr: readonly HrCalendar[], mailbox: readonly MailboxCalendar[]): CalendarPlan {
  const editable = new Map(mailbox.filter((c) => c.canEdit).map((c) => [c.sourceId, c]));
  const known = new Map(hr.map((c) => [c.sourceId, c]));
  const plan: CalendarPlan = { add: [], change: [], remove: [] };
  for (const calendar of editable.values()) {
    const current = known.get(calendar.sourceId);
    const next = {
      sourceId: calendar.sourceId,
      name: calendar.name,
      isDefault: calendar.isDefault,
      enabled: calendar.isDefault || (current?.enabled ?? false),
      ownerName: calendar.owner?.name ?? null,
      ownerAddress: calendar.owner?.address ?? null,
    };
    if (!current) plan.add.push(next);
    else if (differs(current, next)) plan.change.push({ id: current.id, ...withoutSource(next) });
  }
  for (const calendar of hr) if (!editable.has(calendar.sourceId)) plan.remove.push(calendar.id);
  return plan;
}

function differs(current: HrCalendar, next: Omit<HrCalendar, 'id'>): boolean {
  return (
    current.name !== next.name ||
    current.isDefault !== next.isDefault ||
    current.enabled !== next.enabled ||
    current.ownerName !== next.ownerName ||
    current.ownerAddress !== next.ownerAddress
  );
}

function withoutSource(calendar: Omit<HrCalendar, 'id'>): Omit<CalendarChange, 'id'> {
  const { sourceId: _sourceId, ...rest } = calendar;
  return rest;
}

/** Why an employee may not switch a calendar this way; null when the change is allowed. */
export function enableRefusal(calendar: Pick<HrCalendar, 'isDefault'>, enabled: boolean): string | null {
  return calendar.isDefault && !enabled ? 'the default calendar is always enabled (rule 6.2)' : null;
}

/** `own` when the user owns the calendar, `shared` for one shared with or delegated to them. */
export function calendarKind(
  calendar: Pick<HrCalendar, 'isDefault' | 'ownerAddress'>,
  mailboxAddresses: readonly string[],
): 'own' | 'shared' {
  if (calendar.isDefault || calendar.ownerAddress === null) return 'own';
  const owner = calendar.ownerAddress.toLowerCase();
  return mailboxAddresses.some((address) => address.toLowerCase() === owner) ? 'own' : 'shared';
}
