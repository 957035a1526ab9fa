import { z } from 'zod';
import { openApiRegistry } from '../openapi.js';

export const calendarView = openApiRegistry.register(
  'Calendar',
  z.object({
    id: z.uuid(),
    name: z.string(),
    isDefault: z.boolean().describe('the default calendar is always enabled (rule 6.2)'),
    enabled: z.boolean().describe('events of enabled calendars come to HR (rule 6.3)'),
    kind: z.enum(['own', 'shared']).describe('shared: shared with or delegated to the user, with edit rights'),
    owner: z.object({ name: z.string().nullable(), address: z.string().nullable() }),
  }),
);

export const calendarOptions = openApiRegistry.register(
  'CalendarOptions',
  z.object({
    syncEnabled: z.boolean().describe("the user's own calendar switch (rule 6.1)"),
    showPrivateDetails: z
      .boolean()
      .describe('private events show their subject and details in HR; otherwise they are busy blocks'),
  }),
);

export const myCalendarsView = openApiRegistry.register(
  'MyCalendars',
  calendarOptions.extend({ calendars: z.array(calendarView) }),
);

export const calendarRunView = openApiRegistry.register(
  'CalendarRun',
  z.object({
    id: z.uuid(),
    trigger: z.string(),
    status: z.enum(['succeeded', 'failed', 'skipped']),
    startedAt: z.string(),
    finishedAt: z.string(),
    counts: z.record(z.string(), z.number()),
    conflicts: z.array(z.record(z.string(), z.unknown())).describe('conflicts the run decided (rule 6.8)'),
    error: z.string().nullable(),
  }),
);

export const calendarStatusView = openApiRegistry.register(
  'CalendarStatus',
  myCalendarsView.extend({
    hrUserId: z.uuid(),
    email: z.string(),
    linked: z.boolean().describe('active and linked to an Entra user: a mailbox the sync reads'),
    runs: z.array(calendarRunView).describe('the latest runs, newest first'),
  }),
);

export const enableBody = z.strictObject({ enabled: z.boolean() });
export const optionsBody = z
  .strictObject({ syncEnabled: z.boolean(), showPrivateDetails: z.boolean() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'name at least one option');
export const adminOptionsBody = z.strictObject({ syncEnabled: z.boolean() });
