import type { EmulatorContext } from '../emulator-context.js';
import type { GraphRequest } from '../http/graph-types.js';
import type { RouteCost, RouteHandler, RouteTable } from '../http/route-table.js';
import { calendarDelta, eventsDeltaUnsupported, getCalendar, listCalendars } from './calendars.routes.js';
import { createEvent, deleteEvent, getEvent, listEvents, listInstances, updateEvent } from './events.routes.js';
import { createSubscription, deleteSubscription, getSubscription, renewSubscription } from './subscriptions.routes.js';

/** Application permissions that read or write calendars (https://learn.microsoft.com/graph/permissions-reference). */
const CALENDAR_READ = ['Calendars.Read', 'Calendars.ReadWrite'];
const CALENDAR_WRITE = ['Calendars.ReadWrite'];
/** Outlook's limits are per mailbox, not the directory's resource units (https://learn.microsoft.com/graph/throttling-limits). */
const OUTLOOK: RouteCost = { ru: 0, write: false };
const DELTA_SEGMENTS = ['delta', 'delta()', 'microsoft.graph.delta', 'microsoft.graph.delta()'];

/** The calendar part of Graph v1.0: calendars, calendar views and their delta, events. */
export function addCalendarRoutes(t: RouteTable, ctx: EmulatorContext): void {
  const h =
    (fn: (c: EmulatorContext, r: GraphRequest) => ReturnType<RouteHandler>): RouteHandler =>
    (r) =>
      fn(ctx, r);
  const read = (pattern: string, handler: RouteHandler) =>
    t.add({ method: 'GET', pattern, roles: CALENDAR_READ, cost: OUTLOOK, handler });
  const write = (method: string, pattern: string, handler: RouteHandler) =>
    t.add({ method, pattern, roles: CALENDAR_WRITE, cost: OUTLOOK, handler });
  read('/users/:id/calendars', h(listCalendars));
  read('/users/:id/calendar', h(getCalendar));
  read('/users/:id/calendars/:cid', h(getCalendar));
  for (const name of DELTA_SEGMENTS) {
    read(`/users/:id/calendarView/${name}`, h(calendarDelta));
    read(`/users/:id/calendar/calendarView/${name}`, h(calendarDelta));
    read(`/users/:id/calendars/:cid/calendarView/${name}`, h(calendarDelta));
    read(`/users/:id/events/${name}`, () => eventsDeltaUnsupported());
    read(`/users/:id/calendars/:cid/events/${name}`, () => eventsDeltaUnsupported());
  }
  for (const prefix of ['/users/:id', '/users/:id/calendar', '/users/:id/calendars/:cid']) {
    read(`${prefix}/events`, h(listEvents));
    write('POST', `${prefix}/events`, h(createEvent));
    read(`${prefix}/events/:eid`, h(getEvent));
    read(`${prefix}/events/:eid/instances`, h(listInstances));
    write('PATCH', `${prefix}/events/:eid`, h(updateEvent));
    write('DELETE', `${prefix}/events/:eid`, h(deleteEvent));
  }
  // Subscribing to events needs what reading them does (https://learn.microsoft.com/graph/api/subscription-post-subscriptions).
  t.add({
    method: 'POST',
    pattern: '/subscriptions',
    roles: CALENDAR_READ,
    cost: OUTLOOK,
    handler: h(createSubscription),
  });
  read('/subscriptions/:sid', h(getSubscription));
  t.add({
    method: 'PATCH',
    pattern: '/subscriptions/:sid',
    roles: CALENDAR_READ,
    cost: OUTLOOK,
    handler: h(renewSubscription),
  });
  t.add({
    method: 'DELETE',
    pattern: '/subscriptions/:sid',
    roles: CALENDAR_READ,
    cost: OUTLOOK,
    handler: h(deleteSubscription),
  });
}
