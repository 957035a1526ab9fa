import { request } from 'node:https';
import type { ControlUserInput } from './control/control-users.js';
import type {
  ControlUser,
  DirectoryObjectInput,
  FaultRule,
  LatencyRule,
  ResetInput,
  SettingsPatch,
  StatsSnapshot,
  TenantSummary,
} from './control/control-types.js';
import type { CalendarControl, ControlEvent } from './control/control-calendars.js';
import type { EmulatorControl } from './control/emulator-control.js';
import type { ShareRole } from './calendar/calendar-types.js';

/** The public surface of the in-process handle; the client must offer exactly the same. */
export type EmulatorControlApi = Pick<EmulatorControl, keyof EmulatorControl>;

/**
 * Drives the emulator's /_control API from another process (tests, benchmarks, the CLI's users).
 * Trusts `caCertPem` when given, otherwise the process's default CA list.
 */
export class EmulatorControlClient implements EmulatorControlApi {
  private readonly base: URL;
  readonly calendars: CalendarControl;

  constructor(
    url: string,
    private readonly caCertPem?: string,
  ) {
    this.base = new URL('/_control/', url);
    this.calendars = calendarsClient((method, path, body) => this.call(method, path, body));
  }

  createUser(input: ControlUserInput): Promise<ControlUser> {
    return this.call('POST', 'users', input);
  }
  getUser(id: string): Promise<ControlUser | null> {
    return this.call('GET', `users/${enc(id)}`);
  }
  updateUser(id: string, props: Record<string, unknown>): Promise<string[]> {
    return this.call('PATCH', `users/${enc(id)}`, props);
  }
  disableUser(id: string): Promise<void> {
    return this.call('POST', `users/${enc(id)}/disable`);
  }
  deleteUser(id: string, options: { hard?: boolean } = {}): Promise<void> {
    return this.call('DELETE', `users/${enc(id)}${options.hard ? '?hard=true' : ''}`);
  }
  restoreUser(id: string): Promise<ControlUser> {
    return this.call('POST', `users/${enc(id)}/restore`);
  }
  setManager(id: string, managerId: string | null): Promise<void> {
    return this.call('PUT', `users/${enc(id)}/manager`, { managerId });
  }
  setPhoto(id: string, photo: { base64: string; contentType?: string } | null): Promise<void> {
    return photo === null
      ? this.call('DELETE', `users/${enc(id)}/photo`)
      : this.call('PUT', `users/${enc(id)}/photo`, photo);
  }
  markSynced(id: string, enabled: boolean | null = true): Promise<void> {
    return this.call('POST', `users/${enc(id)}/sync`, { enabled });
  }
  createGroup(input: {
    displayName: string;
    description?: string;
    id?: string;
    members?: string[];
    [k: string]: unknown;
  }): Promise<{ id: string }> {
    return this.call('POST', 'groups', input);
  }
  deleteGroup(groupId: string): Promise<void> {
    return this.call('DELETE', `groups/${enc(groupId)}`);
  }
  findGroup(displayName: string): Promise<{ id: string; displayName: string; members: number } | null> {
    return this.call('GET', `groups?displayName=${enc(displayName)}`);
  }
  addMember(groupId: string, memberId: string): Promise<void> {
    return this.call('POST', `groups/${enc(groupId)}/members`, { memberId });
  }
  removeMember(groupId: string, memberId: string): Promise<void> {
    return this.call('DELETE', `groups/${enc(groupId)}/members/${enc(memberId)}`);
  }
  createDirectoryObject(input: DirectoryObjectInput): Promise<{ id: string; type: string }> {
    return this.call('POST', 'directory-objects', input);
  }
  setClientRoles(clientId: string, roles: string[]): Promise<void> {
    return this.call('PUT', `clients/${enc(clientId)}/roles`, { roles });
  }

  setRedirectUris(clientId: string, redirectUris: string[]): Promise<void> {
    return this.call('PUT', `clients/${enc(clientId)}/redirect-uris`, { redirectUris });
  }
  addFault(rule: FaultRule): Promise<void> {
    return this.call('POST', 'faults', rule);
  }
  listFaults(): Promise<FaultRule[]> {
    return this.call('GET', 'faults');
  }
  clearFaults(): Promise<void> {
    return this.call('DELETE', 'faults');
  }
  setLatency(latency: number | LatencyRule[]): Promise<void> {
    return this.call('PUT', 'latency', typeof latency === 'number' ? { ms: latency } : { rules: latency });
  }
  setQuota(enabled: boolean): Promise<void> {
    return this.call('PUT', 'quota', { enabled });
  }
  setSettings(patch: SettingsPatch): Promise<void> {
    return this.call('PATCH', 'settings', patch);
  }
  advanceTime(ms: number): Promise<{ now: number }> {
    return this.call('POST', 'time/advance', { ms });
  }
  expireDeltaTokens(): Promise<void> {
    return this.call('POST', 'delta/expire');
  }
  reset(input: ResetInput): Promise<TenantSummary> {
    return this.call('POST', 'reset', input);
  }
  stats(): Promise<StatsSnapshot> {
    return this.call('GET', 'stats');
  }
  resetStats(): Promise<void> {
    return this.call('DELETE', 'stats');
  }
  summary(): Promise<TenantSummary> {
    return this.call('GET', 'summary');
  }

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = new URL(path, this.base);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise<T>((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          ...(this.caCertPem ? { ca: this.caCertPem } : {}),
          headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const parsed: unknown = text === '' ? undefined : JSON.parse(text);
            if ((res.statusCode ?? 500) >= 400) {
              const message = (parsed as { error?: unknown } | undefined)?.error ?? text;
              reject(new Error(`control ${method} ${path} failed with ${res.statusCode}: ${String(message)}`));
            } else {
              resolve(parsed as T);
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
}

const enc = encodeURIComponent;

type Call = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/** The calendar operations over HTTP (`mailboxes/...`); a null calendar id is the default calendar. */
function calendarsClient(call: Call): CalendarControl {
  const cal = (userId: string, calendarId: string | null) =>
    `mailboxes/${enc(userId)}/calendars/${calendarId === null ? 'default' : enc(calendarId)}`;
  return {
    listCalendars: (userId) => call('GET', `mailboxes/${enc(userId)}/calendars`),
    createCalendar: (userId, input) => call('POST', `mailboxes/${enc(userId)}/calendars`, input),
    deleteCalendar: (userId, calendarId) => call('DELETE', cal(userId, calendarId)),
    shareCalendar: (ownerId, calendarId, input) => call('POST', `${cal(ownerId, calendarId)}/shares`, input),
    setShareRole: (shareeId, calendarId, role: ShareRole) => call('PUT', `${cal(shareeId, calendarId)}/role`, { role }),
    createEvent: (userId, calendarId, props) => call<ControlEvent>('POST', `${cal(userId, calendarId)}/events`, props),
    updateEvent: (userId, eventId, props) => call('PATCH', `mailboxes/${enc(userId)}/events/${enc(eventId)}`, props),
    deleteEvent: (userId, eventId) => call('DELETE', `mailboxes/${enc(userId)}/events/${enc(eventId)}`),
    getEvent: (userId, eventId) => call('GET', `mailboxes/${enc(userId)}/events/${enc(eventId)}`),
    listEvents: (userId, calendarId) => call('GET', `${cal(userId, calendarId)}/events`),
    calendarView: (userId, calendarId, from, to) =>
      call('GET', `${cal(userId, calendarId)}/view?from=${enc(from)}&to=${enc(to)}`),
    expireCalendarDelta: () => call('POST', 'calendar-delta/expire'),
    listSubscriptions: () => call('GET', 'subscriptions'),
    seedCalendars: (input) => call('POST', 'calendars/seed', input),
    touchEvents: (input) => call('POST', 'calendars/touch', input),
    sendLifecycleNotification: (id, event) => call('POST', `subscriptions/${enc(id)}/lifecycle`, { event }),
    setNotificationDelivery: (settings) => call('PUT', 'notifications/delivery', settings),
    notificationStats: (reset = false) => call('GET', `notifications/stats${reset ? '?reset=true' : ''}`),
  };
}
