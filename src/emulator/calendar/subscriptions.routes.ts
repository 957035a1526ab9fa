import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../emulator-context.js';
import { badRequest, graphError, parseJsonBody } from '../http/graph-errors.js';
import type { GraphRequest, GraphResponse } from '../http/graph-types.js';
import { contextUrl, jsonResponse, noContent } from '../http/graph-types.js';
import type { ChangeType } from './calendar-store.js';
import { MAX_EVENT_SUBSCRIPTION_MS, VALIDATION_TIMEOUT_MS, type Subscription } from './subscriptions.js';

const CHANGE_TYPES: readonly ChangeType[] = ['created', 'updated', 'deleted'];
/** A request for less than 45 minutes is raised to 45 (https://learn.microsoft.com/graph/api/resources/subscription). */
const MIN_LIFETIME_MS = 45 * 60_000;
/** `/users/{id}/events` or `/users/{id}/calendars/{cid}/events`, with or without the leading slash. */
const RESOURCE = /^\/?users\/([^/]+)\/(?:calendars\/([^/]+)\/)?events$/i;

/**
 * POST /subscriptions (https://learn.microsoft.com/graph/api/subscription-post-subscriptions) on a
 * mailbox's events: before answering, Graph POSTs `?validationToken=...` to the notification URL (and
 * to the lifecycle URL) and creates the subscription only if each answers 200 with the token as
 * text within 10 s (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks#notificationurl-validation);
 * otherwise 400. The URLs must be HTTPS; the emulator also takes http on loopback (its choice: tests
 * run the service over plain HTTP).
 */
export async function createSubscription(ctx: EmulatorContext, req: GraphRequest): Promise<GraphResponse> {
  const body = parseJsonBody(req.body);
  if (!body.ok) return body.response;
  const input = body.value;
  const resource = typeof input['resource'] === 'string' ? input['resource'] : '';
  const m = RESOURCE.exec(resource);
  if (!m) return badRequest(`Resource '${resource}' is not supported: the emulator subscribes to mailboxes' events.`);
  const mailbox = ctx.calendars.mailbox(decodeURIComponent(m[1]!));
  if (!mailbox) return graphError(404, 'ResourceNotFound', `The mailbox of '${m[1]}' was not found.`);
  let calendarId: string | null = null;
  if (m[2]) {
    const reached = ctx.calendars.reach(mailbox.id, decodeURIComponent(m[2]));
    if (!reached) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    calendarId = reached.calendar.id;
  }
  const changeTypes = String(input['changeType'] ?? '')
    .split(',')
    .map((t) => t.trim()) as ChangeType[];
  if (!changeTypes.every((t) => CHANGE_TYPES.includes(t)))
    return badRequest(`changeType must be created, updated and/or deleted, not '${String(input['changeType'])}'.`);
  const clientState = input['clientState'];
  if (clientState !== undefined && (typeof clientState !== 'string' || clientState.length > 128))
    return badRequest('clientState is a string of at most 128 characters.');
  const expiration = expirationOf(ctx, input['expirationDateTime']);
  if (typeof expiration !== 'number') return expiration;
  const urls = [input['notificationUrl'], input['lifecycleNotificationUrl']];
  for (const url of urls.filter((u) => u !== undefined)) {
    if (!acceptedUrl(url)) return badRequest(`The notification URL '${String(url)}' must be an https URL.`);
    if (!(await validates(ctx, url as string)))
      return badRequest(
        'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
      );
  }
  const subscription = ctx.subscriptions.add({
    appId: req.caller.appId,
    resource,
    changeTypes,
    notificationUrl: input['notificationUrl'] as string,
    lifecycleNotificationUrl: (input['lifecycleNotificationUrl'] as string | undefined) ?? null,
    clientState: (clientState as string | undefined) ?? null,
    expirationMs: expiration,
    mailboxId: mailbox.id,
    calendarId,
  });
  return jsonResponse(201, { '@odata.context': contextUrl(req, 'subscriptions/$entity'), ...project(subscription) });
}

/** PATCH /subscriptions/{id} (https://learn.microsoft.com/graph/api/subscription-update): a new expiry. */
export function renewSubscription(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const subscription = ctx.subscriptions.get(req.params['sid'] ?? '');
  if (!subscription || subscription.appId !== req.caller.appId) return subscriptionNotFound(req.params['sid']);
  const body = parseJsonBody(req.body);
  if (!body.ok) return body.response;
  const expiration = expirationOf(ctx, body.value['expirationDateTime']);
  if (typeof expiration !== 'number') return expiration;
  subscription.expirationMs = expiration;
  return jsonResponse(200, { '@odata.context': contextUrl(req, 'subscriptions/$entity'), ...project(subscription) });
}

/** GET /subscriptions/{id} (https://learn.microsoft.com/graph/api/subscription-get). */
export function getSubscription(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const subscription = ctx.subscriptions.get(req.params['sid'] ?? '');
  if (!subscription || subscription.appId !== req.caller.appId) return subscriptionNotFound(req.params['sid']);
  return jsonResponse(200, { '@odata.context': contextUrl(req, 'subscriptions/$entity'), ...project(subscription) });
}

/** DELETE /subscriptions/{id} (https://learn.microsoft.com/graph/api/subscription-delete): 204. */
export function deleteSubscription(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const subscription = ctx.subscriptions.get(req.params['sid'] ?? '');
  if (!subscription || subscription.appId !== req.caller.appId) return subscriptionNotFound(req.params['sid']);
  ctx.subscriptions.subscriptions.delete(subscription.id);
  return noContent();
}

function subscriptionNotFound(id: string | undefined): GraphResponse {
  return graphError(404, 'ResourceNotFound', `The object was not found: subscription '${id ?? ''}'.`);
}

function expirationOf(ctx: EmulatorContext, value: unknown): number | GraphResponse {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) return badRequest('expirationDateTime is required (ISO 8601).');
  const now = ctx.now();
  if (ms <= now) return badRequest('Subscription expiration can only be in the future.');
  if (ms > now + MAX_EVENT_SUBSCRIPTION_MS)
    return badRequest(
      `Subscription expiration can only be ${MAX_EVENT_SUBSCRIPTION_MS / 60_000} minutes in the future.`,
    );
  return Math.max(ms, now + MIN_LIFETIME_MS);
}

function acceptedUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'https:' ||
      (parsed.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname))
    );
  } catch {
    return false;
  }
}

async function validates(ctx: EmulatorContext, url: string): Promise<boolean> {
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
  const target = `${url}${url.includes('?') ? '&' : '?'}validationToken=${encodeURIComponent(token)}`;
  const answer = await ctx.subscriptions.post(target, null, 'text/plain', VALIDATION_TIMEOUT_MS);
  return answer.status === 200 && answer.text === token;
}

function project(s: Subscription): Record<string, unknown> {
  return {
    id: s.id,
    resource: s.resource,
    applicationId: s.appId,
    changeType: s.changeTypes.join(','),
    clientState: s.clientState,
    notificationUrl: s.notificationUrl,
    lifecycleNotificationUrl: s.lifecycleNotificationUrl,
    expirationDateTime: new Date(s.expirationMs).toISOString(),
    creatorId: s.appId,
    latestSupportedTlsVersion: 'v1_2',
    notificationContentType: null,
    includeResourceData: false,
  };
}
