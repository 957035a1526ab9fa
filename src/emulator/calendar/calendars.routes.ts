import type { EmulatorContext } from '../emulator-context.js';
import { graphError } from '../http/graph-errors.js';
import type { GraphRequest, GraphResponse } from '../http/graph-types.js';
import { contextUrl, jsonResponse, versionRoot } from '../http/graph-types.js';
import type { ReachedCalendar } from './calendar-store.js';
import { calendarViewDelta } from './calendar-view-delta.js';
import { calendarOf, mailboxOf, ownerOf } from './mailbox-access.js';

const DEFAULT_TOP = 10;
const MAX_TOP = 1000;

/**
 * A calendar as its mailbox sees it (https://learn.microsoft.com/graph/api/resources/calendar): its
 * own calendars can be edited and shared; a calendar shared with it names the sharer as owner, can
 * be edited only when the role grants write, and shows private items only to a delegate with private
 * access (https://learn.microsoft.com/graph/outlook-share-or-delegate-calendar).
 */
export function projectCalendar(ctx: EmulatorContext, reached: ReachedCalendar): Record<string, unknown> {
  const { calendar, link } = reached;
  const owner = ownerOf(ctx, reached);
  return {
    id: reached.id,
    // A delegated default calendar is listed under its owner's name.
    name: link && calendar.isDefaultCalendar ? owner.name : calendar.name,
    color: calendar.color,
    hexColor: calendar.hexColor,
    isDefaultCalendar: !link && calendar.isDefaultCalendar,
    changeKey: link ? link.changeKey : calendar.changeKey,
    canShare: !link,
    canViewPrivateItems: !link || link.role === 'delegateWithPrivateEventAccess',
    canEdit: reached.canEdit,
    isRemovable: !!link || !calendar.isDefaultCalendar,
    isTallyingResponses: !link && calendar.isDefaultCalendar,
    allowedOnlineMeetingProviders: ['teamsForBusiness'],
    defaultOnlineMeetingProvider: 'teamsForBusiness',
    owner,
  };
}

/**
 * GET /users/{id}/calendars (https://learn.microsoft.com/graph/api/user-list-calendars): every
 * calendar of the mailbox, the shares it accepted included, paged with `$top` and a nextLink.
 */
export function listCalendars(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const mailbox = mailboxOf(ctx, req);
  if (!mailbox.ok) return mailbox.response;
  const top = Number(req.query.get('$top') ?? DEFAULT_TOP);
  const skip = Number(req.query.get('$skip') ?? 0);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP || !Number.isInteger(skip) || skip < 0)
    return graphError(400, 'ErrorInvalidUrlQuery', 'The value of $top or $skip is not valid.');
  const all = ctx.calendars.reachable(mailbox.value.id);
  const value = all.slice(skip, skip + top).map((reached) => projectCalendar(ctx, reached));
  const more = skip + top < all.length;
  return jsonResponse(200, {
    '@odata.context': contextUrl(req, `users('${mailbox.value.id}')/calendars`),
    value,
    ...(more
      ? { '@odata.nextLink': `${versionRoot(req)}/users/${mailbox.value.id}/calendars?$top=${top}&$skip=${skip + top}` }
      : {}),
  });
}

/** GET /users/{id}/calendar and /users/{id}/calendars/{cid} (https://learn.microsoft.com/graph/api/calendar-get). */
export function getCalendar(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const mailbox = mailboxOf(ctx, req);
  if (!mailbox.ok) return mailbox.response;
  const reached = calendarOf(ctx, req, mailbox.value);
  if (!reached.ok) return reached.response;
  return jsonResponse(200, {
    '@odata.context': contextUrl(req, `users('${mailbox.value.id}')/calendars/$entity`),
    ...projectCalendar(ctx, reached.value),
  });
}

/**
 * GET /users/{id}/calendarView/delta (the default calendar, as the v1.0 page documents) and
 * .../calendars/{cid}/calendarView/delta ("Delta query for events in a calendar view is specific to
 * a calendar", https://learn.microsoft.com/graph/delta-query-events).
 */
export function calendarDelta(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const mailbox = mailboxOf(ctx, req);
  if (!mailbox.ok) return mailbox.response;
  const reached = calendarOf(ctx, req, mailbox.value);
  if (!reached.ok) return reached.response;
  const base =
    req.params['cid'] === undefined
      ? `/users/${mailbox.value.id}`
      : `/users/${mailbox.value.id}/calendars/${encodeURIComponent(reached.value.id)}`;
  return calendarViewDelta(ctx, req, mailbox.value.id, reached.value, ownerOf(ctx, reached.value), base);
}

/** v1.0 has no delta on events without a window: that is beta only (https://learn.microsoft.com/graph/api/event-delta?view=graph-rest-beta). */
export function eventsDeltaUnsupported(): GraphResponse {
  return graphError(400, 'BadRequest', 'Unsupported request: events delta without a calendar view is beta only.');
}
