import { expect } from '@jest/globals';
import type { CalendarStatus } from '../../src/application/calendars.service.js';
import type { CalendarControl } from '../../src/emulator/index.js';
import { InboundWorld } from './inbound-support.js';

export interface Employee {
  entraId: string;
  mail: string;
  hrUserId: string;
  /** An API token an admin issued for the employee: the employee's own credential. */
  token: string;
}

/** An event as the employee API shows it. */
export interface EventRow {
  id: string;
  calendarId: string | null;
  calendarName: string | null;
  origin: 'outlook' | 'hr';
  kind: string;
  subject: string;
  body: string;
  bodyTruncated: boolean;
  location: string;
  start: string;
  end: string;
  timeZone: string;
  isAllDay: boolean;
  startDate: string | null;
  endDate: string | null;
  showAs: string;
  sensitivity: string;
  isPrivate: boolean;
  isCancelled: boolean;
  attendees: Array<{ name: string; address: string; type: string; response: string }>;
  organizer: { name: string; address: string } | null;
  type: string;
  seriesId: string | null;
  originalStart: string | null;
  push: { state: string; error: string | null } | null;
}

/** A UTC wall clock `days` from today at `time` (HH:MM), as Graph's dateTimeTimeZone wants it. */
export function dayAt(days: number, time = '09:00'): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T${time}:00`;
}

export interface Reply<T = unknown> {
  status: number;
  body: T;
}

/**
 * A tenant for the calendar rules (docs/rules.md §6): the emulator plays Microsoft 365 (the control
 * API acts as each user in Outlook), the admin and employee APIs play HR, and calendar runs go
 * through the job store as in production.
 */
export class CalendarWorld {
  private constructor(readonly world: InboundWorld) {}

  static async start(options: { calendarSync?: boolean; env?: Record<string, string> } = {}): Promise<CalendarWorld> {
    const world = await InboundWorld.start(options.env ? { env: options.env } : {});
    if (options.calendarSync ?? true) await world.settings({ calendarSync: true });
    return new CalendarWorld(world);
  }

  get outlook(): CalendarControl {
    return this.world.control.calendars;
  }

  close(): Promise<void> {
    return this.world.close();
  }

  /** People in a synced group, synced into HR, each with an API token of their own. */
  async employees(...names: string[]): Promise<Employee[]> {
    const people = [];
    for (const name of names) people.push(await this.world.person(name, 'Tester'));
    await this.world.addSyncedGroup(
      await this.world.group(
        `Staff ${names.join(' ')}`,
        people.map((p) => p.id),
      ),
    );
    await this.world.sync();
    const employees: Employee[] = [];
    for (const person of people) {
      const hrUser = (await this.world.hrUserByEntraId(person.id))!;
      const issued = await this.world.ok<{ token: string }>(`/api/admin/users/${hrUser.id}/tokens`, 'POST', {
        name: 'employee',
      });
      employees.push({ entraId: person.id, mail: person.mail, hrUserId: hrUser.id, token: issued.token });
    }
    return employees;
  }

  /** Calls the API with the employee's own token. */
  async as<T = unknown>(employee: Employee, path: string, method = 'GET', json?: unknown): Promise<Reply<T>> {
    const res = await this.world.h.service.api(path, {
      method,
      token: employee.token,
      ...(json === undefined ? {} : { json }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async asOk<T = unknown>(employee: Employee, path: string, method = 'GET', json?: unknown): Promise<T> {
    const reply = await this.as<T>(employee, path, method, json);
    if (reply.status >= 300)
      throw new Error(`${method} ${path} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  status(employee: Employee): Promise<CalendarStatus> {
    return this.world.ok<CalendarStatus>(`/api/admin/users/${employee.hrUserId}/calendar`);
  }

  /** Asks the admin API for a run of the employee's mailbox and waits for a run that started after the request. */
  async sync(employee: Employee, expected = 'succeeded'): Promise<CalendarStatus['runs'][number]> {
    const asked = new Date(Date.now() - 5).toISOString();
    await this.world.ok(`/api/admin/users/${employee.hrUserId}/calendar/sync`, 'POST');
    const run = await this.waitForRun(employee, asked);
    if (run.status !== expected) throw new Error(`expected a ${expected} calendar run, got ${JSON.stringify(run)}`);
    return run;
  }

  /** Waits for a calendar run of the employee that started at or after `since` (ISO). */
  async waitForRun(employee: Employee, since: string, timeoutMs = 30_000): Promise<CalendarStatus['runs'][number]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = (await this.status(employee)).runs.find((r) => r.startedAt >= since);
      if (run) return run;
      if (Date.now() > deadline) throw new Error(`no calendar run of ${employee.mail} since ${since}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The employee's calendars in HR, by name: [enabled, kind]. */
  async calendarsOf(employee: Employee): Promise<Record<string, [boolean, string]>> {
    const mine = await this.asOk<{ calendars: Array<{ name: string; enabled: boolean; kind: string }> }>(
      employee,
      '/api/me/calendars',
    );
    expect(new Set(mine.calendars.map((c) => c.name)).size).toBe(mine.calendars.length);
    return Object.fromEntries(mine.calendars.map((c) => [c.name, [c.enabled, c.kind]]));
  }

  async calendarId(employee: Employee, name: string): Promise<string> {
    const mine = await this.asOk<{ calendars: Array<{ id: string; name: string }> }>(employee, '/api/me/calendars');
    return mine.calendars.find((c) => c.name === name)!.id;
  }

  /** The employee's events in HR over the whole sync window (through the employee API). */
  async events(employee: Employee): Promise<EventRow[]> {
    const now = new Date();
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 1)).toISOString();
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 14, 1)).toISOString();
    const rows: EventRow[] = [];
    let after = '';
    for (;;) {
      const page = await this.asOk<{ items: EventRow[]; next: string | null }>(
        employee,
        `/api/me/events?from=${from}&to=${to}&limit=1000${after ? `&after=${after}` : ''}`,
      );
      rows.push(...page.items);
      if (page.next === null) return rows;
      after = page.next;
    }
  }

  async eventNamed(employee: Employee, subject: string): Promise<EventRow> {
    const found = (await this.events(employee)).filter((e) => e.subject === subject);
    expect([subject, found.length]).toEqual([subject, 1]);
    return found[0]!;
  }

  /** The id of a calendar in the user's own mailbox (Outlook's), by name. */
  async outlookCalendarId(entraId: string, name: string): Promise<string> {
    const listed = await this.outlook.listCalendars(entraId);
    return listed.find((c) => c['name'] === name)!['id'] as string;
  }
}
