import { z } from 'zod';
import { HR_EVENT_KINDS, SHOW_AS } from '../../domain/hr-event.js';
import { openApiRegistry } from '../openapi.js';
import { pageOf } from '../response-schemas.js';

const person = z.object({ name: z.string(), address: z.string() });

const hrRecurrence = openApiRegistry.register(
  'HrRecurrence',
  z.strictObject({
    type: z.enum(['daily', 'weekly']),
    interval: z.number().int().min(1).max(99),
    daysOfWeek: z
      .array(z.enum(['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']))
      .max(7)
      .describe('weekly: the days it happens on'),
    count: z.number().int().min(1).max(999).nullable().describe('how many occurrences; or until'),
    until: z.iso.date().nullable().describe('the last day it may happen on; or count'),
  }),
);

export const calendarEventView = openApiRegistry.register(
  'CalendarEvent',
  z.object({
    id: z.uuid(),
    calendarId: z.uuid().nullable().describe('null for an HR event whose calendar left HR, until it is placed again'),
    calendarName: z.string().nullable(),
    origin: z.enum(['outlook', 'hr']).describe('outlook: from Microsoft 365; hr: created in HR (rule 6.7)'),
    kind: z.string().describe('outlook for Microsoft 365 events; the HR kind (absence, onboarding, ...) otherwise'),
    subject: z.string().describe('empty for a private event shown as a busy block (rule 6.6)'),
    body: z.string().describe('plain text'),
    bodyTruncated: z.boolean(),
    location: z.string(),
    start: z.string().describe('ISO 8601, UTC'),
    end: z.string(),
    timeZone: z.string().describe('the zone the event was made in'),
    isAllDay: z.boolean(),
    startDate: z.string().nullable().describe('all-day events: the first day (YYYY-MM-DD)'),
    endDate: z.string().nullable().describe('all-day events: the day after the last'),
    showAs: z.string(),
    sensitivity: z.string(),
    isPrivate: z.boolean().describe('a private event of which HR keeps only the time'),
    isCancelled: z.boolean(),
    attendees: z.array(z.object({ name: z.string(), address: z.string(), type: z.string(), response: z.string() })),
    organizer: person.nullable(),
    type: z.enum(['singleInstance', 'occurrence', 'exception']),
    seriesId: z.string().nullable().describe('occurrences and exceptions: their series (opaque)'),
    originalStart: z.string().nullable(),
    push: z
      .object({ state: z.enum(['synced', 'pending', 'failed']), error: z.string().nullable() })
      .nullable()
      .describe('HR events: whether Microsoft 365 has the latest version'),
    recurrence: hrRecurrence
      .nullable()
      .describe('an HR series not yet in Microsoft 365 (afterwards it shows as its occurrences)'),
    updatedAt: z.string(),
  }),
);

export const eventPageView = pageOf(calendarEventView, z.uuid());

const instant = z.iso.datetime({ offset: true, error: 'an ISO 8601 date-time such as 2027-01-31T00:00:00Z' });
export const eventRangeQuery = z.strictObject({
  from: instant,
  to: instant,
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  after: z.uuid().optional(),
});

const day = z.iso.date({ error: 'a date such as 2027-01-31' });
const hrEventFields = {
  kind: z.enum(HR_EVENT_KINDS).describe('what HR puts in the calendar; an absence shows as out of office'),
  subject: z.string().min(1).max(255),
  body: z.string().max(32_000).optional().describe('plain text'),
  location: z.string().max(255).optional(),
  timeZone: z.string().min(1).max(64).optional().describe('IANA or Windows zone the event is made in; UTC by default'),
  isAllDay: z.boolean().optional(),
  start: instant.optional().describe('timed events'),
  end: instant.optional(),
  startDate: day.optional().describe('all-day events: the first day'),
  endDate: day.optional().describe('all-day events: the day after the last (exclusive)'),
  showAs: z.enum(SHOW_AS).optional(),
  sensitivity: z.enum(['normal', 'private']).optional(),
};

export const hrEventCreateBody = openApiRegistry.register(
  'HrEventInput',
  z.strictObject({
    ...hrEventFields,
    recurrence: hrRecurrence.optional().describe('a series (set at creation only)'),
    calendarId: z.uuid().optional().describe('an enabled calendar of the user; the default calendar when absent'),
  }),
);

export const hrEventPatchBody = openApiRegistry.register(
  'HrEventPatch',
  z.strictObject({ ...hrEventFields, kind: hrEventFields.kind.optional(), subject: hrEventFields.subject.optional() }),
);

export const eventHistoryView = openApiRegistry.register(
  'CalendarEventHistory',
  z.object({
    items: z.array(
      z.object({
        recordedAt: z.string(),
        reason: z.string().describe('conflict-lost, changed-in-outlook or deleted-in-outlook'),
        side: z.enum(['hr', 'outlook']).describe('whose version this was'),
        snapshot: z.record(z.string(), z.unknown()),
      }),
    ),
  }),
);
