import type { ControlHandler, ControlReply } from '../http/https-server.js';
import { ControlError } from './control-error.js';
import type { EmulatorControl } from './emulator-control.js';

type Body = Record<string, unknown>;
type Op = (params: string[], body: Body, query: URLSearchParams) => Promise<unknown>;

/**
 * The HTTP face of EmulatorControl under /_control (JSON in, JSON out). `:x` segments are passed to
 * the operation in order.
 */
export function controlHandler(control: EmulatorControl): ControlHandler {
  const routes: [string, string, Op][] = [
    ['POST', 'users', (_, b) => control.createUser(b as Parameters<EmulatorControl['createUser']>[0])],
    ['GET', 'users/:id', ([id]) => control.getUser(id as string)],
    ['PATCH', 'users/:id', ([id], b) => control.updateUser(id as string, b)],
    ['DELETE', 'users/:id', ([id], _b, q) => control.deleteUser(id as string, { hard: q.get('hard') === 'true' })],
    ['POST', 'users/:id/disable', ([id]) => control.disableUser(id as string)],
    ['POST', 'users/:id/restore', ([id]) => control.restoreUser(id as string)],
    [
      'PUT',
      'users/:id/manager',
      ([id], b) => control.setManager(id as string, (b['managerId'] as string | null | undefined) ?? null),
    ],
    [
      'PUT',
      'users/:id/photo',
      ([id], b) => control.setPhoto(id as string, b as { base64: string; contentType?: string }),
    ],
    ['DELETE', 'users/:id/photo', ([id]) => control.setPhoto(id as string, null)],
    [
      'POST',
      'users/:id/sync',
      ([id], b) =>
        control.markSynced(id as string, b['enabled'] === undefined ? true : (b['enabled'] as boolean | null)),
    ],
    ['POST', 'groups', (_, b) => control.createGroup(b as Parameters<EmulatorControl['createGroup']>[0])],
    ['GET', 'groups', (_, _b, q) => control.findGroup(q.get('displayName') ?? '')],
    ['DELETE', 'groups/:id', ([id]) => control.deleteGroup(id as string)],
    ['POST', 'groups/:id/members', ([id], b) => control.addMember(id as string, String(b['memberId']))],
    ['DELETE', 'groups/:id/members/:member', ([id, member]) => control.removeMember(id as string, member as string)],
    [
      'POST',
      'directory-objects',
      (_, b) => control.createDirectoryObject(b as unknown as Parameters<EmulatorControl['createDirectoryObject']>[0]),
    ],
    ['PUT', 'clients/:id/roles', ([id], b) => control.setClientRoles(id as string, (b['roles'] ?? []) as string[])],
    [
      'PUT',
      'clients/:id/redirect-uris',
      ([id], b) => control.setRedirectUris(id as string, (b['redirectUris'] ?? []) as string[]),
    ],
    ['POST', 'faults', (_, b) => control.addFault(b as unknown as Parameters<EmulatorControl['addFault']>[0])],
    ['GET', 'faults', () => control.listFaults()],
    ['DELETE', 'faults', () => control.clearFaults()],
    ['PUT', 'latency', (_, b) => control.setLatency((b['rules'] ?? b['ms'] ?? 0) as number)],
    ['PUT', 'quota', (_, b) => control.setQuota(b['enabled'] === true)],
    ['PATCH', 'settings', (_, b) => control.setSettings(b)],
    ['POST', 'time/advance', (_, b) => control.advanceTime(Number(b['ms']))],
    ['POST', 'delta/expire', () => control.expireDeltaTokens()],
    [
      'POST',
      'reset',
      (_, b) =>
        control.reset({
          users: Number(b['users'] ?? 0),
          ...(b['seed'] === undefined ? {} : { seed: Number(b['seed']) }),
        }),
    ],
    ['GET', 'stats', () => control.stats()],
    ['DELETE', 'stats', () => control.resetStats()],
    ['GET', 'summary', () => control.summary()],
    ...calendarRoutes(control),
  ];
  return async (method, segments, query, rawBody): Promise<ControlReply> => {
    for (const [m, pattern, op] of routes) {
      const params = match(pattern, segments);
      if (m !== method || !params) continue;
      let body: Body = {};
      try {
        if (rawBody.length > 0) body = JSON.parse(rawBody.toString('utf8')) as Body;
      } catch {
        return { status: 400, body: { error: 'body is not JSON' } };
      }
      try {
        const result = await op(params, body ?? {}, query);
        return result === undefined ? { status: 204 } : { status: 200, body: result };
      } catch (err) {
        if (err instanceof ControlError) return { status: err.status, body: { error: err.message } };
        return { status: 400, body: { error: err instanceof Error ? err.message : String(err) } };
      }
    }
    return { status: 404, body: { error: `no control route ${method} /_control/${segments.join('/')}` } };
  };
}

/** The calendar operations (ControlCalendars) under mailboxes/{userId}/... */
function calendarRoutes(control: EmulatorControl): [string, string, Op][] {
  const c = control.calendars;
  const calendarOrDefault = (id: string | undefined) => (id === 'default' ? null : (id as string));
  return [
    ['GET', 'mailboxes/:id/calendars', ([id]) => c.listCalendars(id as string)],
    ['POST', 'mailboxes/:id/calendars', ([id], b) => c.createCalendar(id as string, b as { name: string })],
    ['DELETE', 'mailboxes/:id/calendars/:cid', ([id, cid]) => c.deleteCalendar(id as string, cid as string)],
    [
      'POST',
      'mailboxes/:id/calendars/:cid/shares',
      ([id, cid], b) => c.shareCalendar(id as string, cid as string, b as Parameters<typeof c.shareCalendar>[2]),
    ],
    [
      'PUT',
      'mailboxes/:id/calendars/:cid/role',
      ([id, cid], b) => c.setShareRole(id as string, cid as string, b['role'] as Parameters<typeof c.setShareRole>[2]),
    ],
    ['GET', 'mailboxes/:id/calendars/:cid/events', ([id, cid]) => c.listEvents(id as string, calendarOrDefault(cid))],
    [
      'POST',
      'mailboxes/:id/calendars/:cid/events',
      ([id, cid], b) => c.createEvent(id as string, calendarOrDefault(cid), b),
    ],
    [
      'GET',
      'mailboxes/:id/calendars/:cid/view',
      ([id, cid], _b, q) =>
        c.calendarView(id as string, calendarOrDefault(cid), q.get('from') ?? '', q.get('to') ?? ''),
    ],
    ['GET', 'mailboxes/:id/events/:eid', ([id, eid]) => c.getEvent(id as string, eid as string)],
    ['PATCH', 'mailboxes/:id/events/:eid', ([id, eid], b) => c.updateEvent(id as string, eid as string, b)],
    ['DELETE', 'mailboxes/:id/events/:eid', ([id, eid]) => c.deleteEvent(id as string, eid as string)],
    ['POST', 'calendar-delta/expire', () => c.expireCalendarDelta()],
    ['GET', 'subscriptions', () => c.listSubscriptions()],
    ['POST', 'calendars/seed', (_p, b) => c.seedCalendars(b as Parameters<typeof c.seedCalendars>[0])],
    ['POST', 'calendars/touch', (_p, b) => c.touchEvents(b as Parameters<typeof c.touchEvents>[0])],
    [
      'POST',
      'subscriptions/:sid/lifecycle',
      ([sid], b) =>
        c.sendLifecycleNotification(sid as string, b['event'] as Parameters<typeof c.sendLifecycleNotification>[1]),
    ],
    ['PUT', 'notifications/delivery', (_p, b) => c.setNotificationDelivery(b)],
    ['GET', 'notifications/stats', (_p, _b, q) => c.notificationStats(q.get('reset') === 'true')],
  ];
}

function match(pattern: string, segments: string[]): string[] | undefined {
  const parts = pattern.split('/');
  if (parts.length !== segments.length) return undefined;
  const params: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (parts[i]?.startsWith(':')) params.push(segments[i] as string);
    else if (parts[i] !== segments[i]) return undefined;
  }
  return params;
}
