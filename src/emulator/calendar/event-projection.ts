import type { GraphRequest } from '../http/graph-types.js';
import type { EventRecord, Instance } from './calendar-types.js';
import { instantOfDateTime } from './event-view.js';
import { formatWallClock, ianaZone, wallClockAt } from './time-zones.js';

/**
 * How the caller wants events represented, from its Prefer headers
 * (https://learn.microsoft.com/graph/api/event-get: `outlook.timezone` for start and end, UTC
 * otherwise; `outlook.body-content-type` for the body, HTML otherwise;
 * https://learn.microsoft.com/graph/api/event-delta: `odata.maxpagesize`). The names of the
 * preferences Graph applied come back in `Preference-Applied`.
 */
export interface Representation {
  zoneName: string;
  zone: string;
  textBody: boolean;
  maxPageSize: number | undefined;
  applied: string[];
}

export function representationOf(req: Pick<GraphRequest, 'headers'>): Representation {
  const prefer = req.headers['prefer'] ?? '';
  const rep: Representation = { zoneName: 'UTC', zone: 'UTC', textBody: false, maxPageSize: undefined, applied: [] };
  const zoneName = /outlook\.timezone\s*=\s*"([^"]+)"/i.exec(prefer)?.[1];
  const zone = zoneName ? ianaZone(zoneName) : undefined;
  if (zoneName && zone) {
    rep.zoneName = zoneName;
    rep.zone = zone;
    rep.applied.push(`outlook.timezone="${zoneName}"`);
  }
  const bodyType = /outlook\.body-content-type\s*=\s*"?(text|html)"?/i.exec(prefer)?.[1];
  if (bodyType) {
    rep.textBody = bodyType.toLowerCase() === 'text';
    rep.applied.push(`outlook.body-content-type="${bodyType.toLowerCase()}"`);
  }
  const size = Number(/odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer)?.[1]);
  if (Number.isInteger(size) && size > 0) {
    rep.maxPageSize = size;
    rep.applied.push(`odata.maxpagesize=${size}`);
  }
  return rep;
}

export function preferenceHeaders(rep: Representation): Record<string, string> {
  return rep.applied.length > 0 ? { 'Preference-Applied': rep.applied.join(', ') } : {};
}

export interface Owner {
  name: string;
  address: string;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** An instance of a calendar view (or a single event) as Graph's event resource. */
export function projectInstance(instance: Instance, rep: Representation, owner: Owner): Record<string, unknown> {
  const { p } = instance;
  const event = instance.event;
  return {
    '@odata.type': '#microsoft.graph.event',
    '@odata.etag': `W/"${instance.changeKey}"`,
    id: instance.id,
    createdDateTime: iso(event.createdMs),
    lastModifiedDateTime: iso(instance.lastModifiedMs),
    changeKey: instance.changeKey,
    categories: p['categories'] ?? [],
    transactionId: instance.type === 'singleInstance' ? (p['transactionId'] ?? null) : null,
    originalStartTimeZone: zoneNameOf(event.p['start']),
    originalEndTimeZone: zoneNameOf(event.p['end']),
    iCalUId:
      instance.type === 'singleInstance'
        ? p['iCalUId']
        : `${String(event.p['iCalUId'])}${(instance.originalStartMs ?? 0).toString(16).toUpperCase()}`,
    reminderMinutesBeforeStart: p['reminderMinutesBeforeStart'] ?? 15,
    isReminderOn: p['isReminderOn'] ?? true,
    hasAttachments: false,
    subject: p['subject'] ?? '',
    bodyPreview: bodyText(p['body']).slice(0, 255),
    importance: p['importance'] ?? 'normal',
    sensitivity: p['sensitivity'] ?? 'normal',
    isAllDay: p['isAllDay'] === true,
    isCancelled: p['isCancelled'] === true,
    isOrganizer: organizerOf(p, owner).emailAddress.address.toLowerCase() === owner.address.toLowerCase(),
    responseRequested: true,
    seriesMasterId: instance.type === 'singleInstance' ? null : event.id,
    showAs: p['showAs'] ?? 'busy',
    type: instance.type,
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(instance.id)}&exvsurl=1&path=/calendar/item`,
    onlineMeetingUrl: null,
    isOnlineMeeting: false,
    responseStatus: { response: 'organizer', time: '0001-01-01T00:00:00Z' },
    ...(instance.originalStartMs === undefined ? {} : { originalStart: iso(instance.originalStartMs) }),
    body: bodyOf(p['body'], rep),
    start: dateTimeIn(instance.startMs, rep),
    end: dateTimeIn(instance.endMs, rep),
    location: p['location'] ?? { displayName: '', locationType: 'default', uniqueIdType: 'unknown' },
    locations: p['location'] ? [p['location']] : [],
    recurrence: null,
    attendees: p['attendees'] ?? [],
    organizer: organizerOf(p, owner),
  };
}

/** A series master as GET /events/{id} answers it: its own start and end, and its recurrence. */
export function projectMaster(event: EventRecord, rep: Representation, owner: Owner): Record<string, unknown> {
  const startMs = instantOfDateTime(event.p['start']) ?? 0;
  const endMs = instantOfDateTime(event.p['end']) ?? startMs;
  const base = projectInstance(
    {
      id: event.id,
      event,
      type: 'singleInstance',
      startMs,
      endMs,
      p: event.p,
      changeKey: event.changeKey,
      lastModifiedMs: event.lastModifiedMs,
    },
    rep,
    owner,
  );
  return { ...base, type: event.type, recurrence: event.p['recurrence'] ?? null };
}

function dateTimeIn(ms: number, rep: Representation): { dateTime: string; timeZone: string } {
  return { dateTime: formatWallClock(wallClockAt(ms, rep.zone)), timeZone: rep.zoneName };
}

function zoneNameOf(value: unknown): string {
  return String((value as { timeZone?: unknown } | undefined)?.timeZone ?? 'UTC');
}

function organizerOf(p: Record<string, unknown>, owner: Owner): { emailAddress: Owner } {
  const organizer = p['organizer'] as { emailAddress?: Owner } | undefined;
  return organizer?.emailAddress ? { emailAddress: organizer.emailAddress } : { emailAddress: owner };
}

function bodyText(body: unknown): string {
  const { contentType, content } = (body ?? {}) as { contentType?: string; content?: string };
  const text = String(content ?? '');
  return contentType?.toLowerCase() === 'html'
    ? text
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
    : text;
}

function bodyOf(body: unknown, rep: Representation): { contentType: string; content: string } {
  const { contentType, content } = (body ?? {}) as { contentType?: string; content?: string };
  if (rep.textBody) return { contentType: 'text', content: bodyText(body) };
  if (contentType?.toLowerCase() === 'html') return { contentType: 'html', content: String(content ?? '') };
  const escaped = String(content ?? '').replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  return { contentType: 'html', content: `<html><body>${escaped}</body></html>` };
}
