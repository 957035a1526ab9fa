import type { EmulatorContext } from '../emulator-context.js';
import { graphError, parseJsonBody } from '../http/graph-errors.js';
import type { GraphRequest, GraphResponse } from '../http/graph-types.js';
import { contextUrl, jsonResponse, noContent, versionRoot } from '../http/graph-types.js';
import type { UserRecord } from '../store/store-types.js';
import type { Instance } from './calendar-types.js';
import { readEventInput } from './event-input.js';
import { preferenceHeaders, projectInstance, projectMaster, representationOf, type Owner } from './event-projection.js';
import { expandedProperties, readEventQuery } from './event-query.js';
import { calendarView, instancesOf, occurrenceId } from './event-view.js';
import {
  accessDenied,
  calendarOf,
  eventOf,
  itemNotFound,
  mailboxOf,
  ownerOf,
  type ReachedEvent,
} from './mailbox-access.js';

const YEAR_MS = 366 * 86_400_000;

/**
 * POST /users/{id}/events, /calendar/events and /calendars/{cid}/events
 * (https://learn.microsoft.com/graph/api/user-post-events): 201 with the new event. A `transactionId`
 * seen before in the mailbox answers the event it created, and creates nothing ("to avoid redundant
 * POST operations in case of client retries", https://learn.microsoft.com/graph/api/resources/event;
 * what Graph answers then is not documented: the emulator's choice is 201 with that event).
 */
export function createEvent(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const mailbox = mailboxOf(ctx, req);
  if (!mailbox.ok) return mailbox.response;
  const reached = calendarOf(ctx, req, mailbox.value);
  if (!reached.ok) return reached.response;
  if (!reached.value.canEdit) return accessDenied();
  const body = parseJsonBody(req.body);
  if (!body.ok) return body.response;
  const input = readEventInput(body.value, 'create');
  if (!input.ok) return input.response;
  const transactionId = input.value.props['transactionId'];
  const earlier =
    typeof transactionId === 'string' ? ctx.calendars.byTransactionId(mailbox.value.id, transactionId) : undefined;
  const event = earlier ?? ctx.calendars.createEvent(reached.value.calendar, input.value.props, input.value.ext);
  const found = eventOf(ctx, mailbox.value, event.id);
  return found.ok ? answerEvent(ctx, req, found.value, 201) : found.response;
}

/** GET /users/{id}/events/{eid} (https://learn.microsoft.com/graph/api/event-get). */
export function getEvent(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const found = findEvent(ctx, req);
  return found.ok ? answerEvent(ctx, req, found.value, 200) : found.response;
}

/**
 * PATCH /users/{id}/events/{eid} (https://learn.microsoft.com/graph/api/event-update): only the
 * properties sent change; 200 with the event. `If-Match` with a stale etag is 412
 * ErrorIrresolvableConflict (observed). An occurrence's change becomes an exception of the series.
 */
export function updateEvent(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const found = findWritable(ctx, req);
  if (!found.ok) return found.response;
  const body = parseJsonBody(req.body);
  if (!body.ok) return body.response;
  const { event, originalStartMs } = found.value;
  const input = readEventInput(body.value, 'update', event.p);
  if (!input.ok) return input.response;
  if (originalStartMs === undefined) ctx.calendars.updateEvent(event, input.value.props, input.value.ext);
  else ctx.calendars.overrideOccurrence(event, originalStartMs, input.value.props);
  const id = originalStartMs === undefined ? event.id : occurrenceId(event.id, originalStartMs);
  const again = eventOf(ctx, found.mailbox, id);
  return again.ok ? answerEvent(ctx, req, again.value, 200) : again.response;
}

/** DELETE /users/{id}/events/{eid} (https://learn.microsoft.com/graph/api/event-delete): 204; an occurrence is cancelled alone. */
export function deleteEvent(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const found = findWritable(ctx, req);
  if (!found.ok) return found.response;
  const { event, originalStartMs } = found.value;
  if (originalStartMs === undefined) ctx.calendars.deleteEvent(event.id);
  else ctx.calendars.overrideOccurrence(event, originalStartMs, 'deleted');
  return noContent();
}

/**
 * GET /users/{id}/events and /calendars/{cid}/events (https://learn.microsoft.com/graph/api/user-list-events):
 * single instances and series masters, with the extended-property `$filter` and `$expand`.
 */
export function listEvents(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const mailbox = mailboxOf(ctx, req);
  if (!mailbox.ok) return mailbox.response;
  const query = readEventQuery(req);
  if (!query.ok) return query.response;
  const calendars =
    req.params['cid'] === undefined
      ? ctx.calendars.reachable(mailbox.value.id).filter((c) => !c.link)
      : [ctx.calendars.reach(mailbox.value.id, req.params['cid'])].filter((c) => c !== undefined);
  if (calendars.length === 0) return itemNotFound();
  const top = Number(req.query.get('$top') ?? 10);
  const skip = Number(req.query.get('$skip') ?? 0);
  const rep = representationOf(req);
  const all = calendars.flatMap((reached) =>
    ctx.calendars
      .eventsIn(reached.calendar.id)
      .filter((event) => !query.value.filter || query.value.filter(event))
      .map((event) => ({ reached, event })),
  );
  const value = all.slice(skip, skip + top).map(({ reached, event }) => ({
    ...projectMaster(event, rep, ownerOf(ctx, reached)),
    ...expandedProperties(event, query.value),
  }));
  const nextQuery = req.rawQuery.filter((part) => !/^\$(top|skip)=/i.test(part));
  const more = skip + top < all.length;
  return jsonResponse(
    200,
    {
      '@odata.context': contextUrl(req, 'Collection(event)'),
      value,
      ...(more
        ? {
            '@odata.nextLink': `${versionRoot(req)}${req.path}?${[...nextQuery, `$top=${top}`, `$skip=${skip + top}`].join('&')}`,
          }
        : {}),
    },
    preferenceHeaders(rep),
  );
}

/** GET /users/{id}/events/{masterId}/instances?startDateTime&endDateTime (https://learn.microsoft.com/graph/api/event-list-instances). */
export function listInstances(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const found = findEvent(ctx, req);
  if (!found.ok) return found.response;
  const from = Date.parse(req.query.get('startdatetime') ?? '');
  const to = Date.parse(req.query.get('enddatetime') ?? '');
  if (Number.isNaN(from) || Number.isNaN(to))
    return graphError(400, 'ErrorInvalidParameter', 'This request requires startDateTime and endDateTime.');
  const rep = representationOf(req);
  const owner = ownerOf(ctx, found.value.reached);
  const value = calendarView([found.value.event], from, to).map((i) => projectInstance(i, rep, owner));
  return jsonResponse(200, { '@odata.context': contextUrl(req, 'Collection(event)'), value }, preferenceHeaders(rep));
}

function findEvent(ctx: EmulatorContext, req: GraphRequest) {
  const mailbox = mailboxOf(ctx, req);
  if (!mailbox.ok) return mailbox;
  const found = eventOf(ctx, mailbox.value, req.params['eid'] ?? '', req.params['cid']);
  return found.ok ? { ...found, mailbox: mailbox.value } : found;
}

function findWritable(
  ctx: EmulatorContext,
  req: GraphRequest,
): { ok: true; value: ReachedEvent; mailbox: UserRecord } | { ok: false; response: GraphResponse } {
  const found = findEvent(ctx, req);
  if (!found.ok) return found;
  if (!found.value.reached.canEdit) return { ok: false, response: accessDenied() };
  const current = instanceOf(found.value);
  if (!current) return { ok: false, response: itemNotFound() };
  const ifMatch = req.headers['if-match'];
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== `W/"${current.changeKey}"`)
    return {
      ok: false,
      response: graphError(
        412,
        'ErrorIrresolvableConflict',
        'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.',
      ),
    };
  return found;
}

/** The single instance, series master or occurrence the id names; undefined for a deleted occurrence. */
function instanceOf(found: ReachedEvent): Pick<Instance, 'changeKey'> | Instance | undefined {
  const { event, originalStartMs } = found;
  if (originalStartMs === undefined) return { changeKey: event.changeKey };
  return instancesOf(event, originalStartMs - YEAR_MS, originalStartMs + YEAR_MS).find(
    (i) => i.originalStartMs === originalStartMs,
  );
}

function answerEvent(ctx: EmulatorContext, req: GraphRequest, found: ReachedEvent, status: number): GraphResponse {
  const rep = representationOf(req);
  const owner: Owner = ownerOf(ctx, found.reached);
  const query = readEventQuery(req);
  if (!query.ok) return query.response;
  const instance = instanceOf(found);
  if (!instance) return itemNotFound();
  const body =
    'event' in instance
      ? projectInstance(instance, rep, owner)
      : found.event.type === 'seriesMaster'
        ? projectMaster(found.event, rep, owner)
        : projectMaster(found.event, rep, owner);
  return jsonResponse(
    status,
    {
      '@odata.context': contextUrl(req, 'Collection(event)/$entity'),
      ...body,
      ...expandedProperties(found.event, query.value),
    },
    preferenceHeaders(rep),
  );
}
