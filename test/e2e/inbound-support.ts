import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from '@jest/globals';
import type { ControlUserInput } from '../../src/emulator/control/control-users.js';
import type { EmulatorOptions } from '../../src/emulator/index.js';
import { startSyncHarness, type RunView, type SyncHarness } from '../support/entra.js';
import { ADMIN_TOKEN, testServiceEnv } from '../support/service.js';
import type { OutcomeView } from '../../src/application/sync-runs.service.js';

/** One row of the HR users export (rule 8.3), the API's fullest view of an HR user. */
export interface HrUserRow {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  jobTitle: string | null;
  department: string | null;
  officeLocation: string | null;
  employeeNumber: string | null;
  hireDate: string | null;
  mobilePhone: string | null;
  businessPhone: string | null;
  city: string | null;
  managerId: string | null;
  managerEntraId: string | null;
  active: boolean;
  deactivatedReason: string | null;
  origin: string;
  entraId: string | null;
  employeeProfileId: string | null;
  roles: string[];
  customFields: Record<string, unknown>;
}

/** The API's per-user outcome, as the service defines it. */
export type OutcomeRow = OutcomeView;

export interface RunRecordView extends RunView {
  startedAt: string;
  finishedAt: string | null;
  pendingDeactivations: number;
  progress: {
    stage: string;
    pages: number;
    processed: number;
    total: number | null;
    unchanged: number;
    notInScope: number;
  };
  requestedBy: string | null;
  cancelledBy: string | null;
  throttleWaitMs: number;
}

export const ZERO = { created: 0, updated: 0, deactivated: 0, reactivated: 0, skipped: 0, failed: 0 };

/**
 * A tenant for the inbound rules: the emulator plays Entra, the admin API and the sync job play
 * the connector. The guard of rule 3.6 is off (threshold 1) unless a test turns it on, so that
 * tests of other rules may deactivate several users in one run.
 */
export class InboundWorld {
  private seq = 0;

  private constructor(readonly h: SyncHarness) {}

  static async start(
    options: { emulator?: EmulatorOptions; guardThreshold?: number; env?: Record<string, string> } = {},
  ): Promise<InboundWorld> {
    const world = new InboundWorld(
      await startSyncHarness({ emulator: options.emulator, ...(options.env ? { env: options.env } : {}) }),
    );
    await world.ok('/api/admin/settings', 'PATCH', { guardThreshold: options.guardThreshold ?? 1 });
    return world;
  }

  get control() {
    return this.h.emulator.control;
  }

  async close(): Promise<void> {
    await this.h.close();
  }

  async api<T = unknown>(path: string, method = 'GET', json?: unknown): Promise<{ status: number; body: T }> {
    const res = await this.h.service.api(path, { method, ...(json === undefined ? {} : { json }) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async ok<T = unknown>(path: string, method = 'GET', json?: unknown): Promise<T> {
    const res = await this.api<T>(path, method, json);
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** An Entra user with a given name, a surname and a mailbox; `extra` adds or overrides Graph properties. */
  async person(
    given: string,
    surname: string,
    extra: Partial<ControlUserInput> = {},
  ): Promise<{ id: string; mail: string }> {
    const mail = `${given}.${surname}.${(this.seq += 1)}@contoso.com`.toLowerCase();
    const user = await this.control.createUser({
      displayName: `${given} ${surname}`,
      givenName: given,
      surname,
      mail,
      userPrincipalName: mail,
      accountEnabled: true,
      ...extra,
    });
    return { id: user.id, mail: typeof extra.mail === 'string' ? extra.mail : mail };
  }

  async group(displayName: string, members: string[]): Promise<string> {
    return (await this.control.createGroup({ displayName, members })).id;
  }

  async syncedGroups(): Promise<string[]> {
    return (await this.ok<{ items: Array<{ id: string }> }>('/api/admin/synced-groups')).items.map((g) => g.id);
  }

  async setSyncedGroups(groupIds: string[]): Promise<void> {
    await this.ok('/api/admin/synced-groups', 'PUT', { groupIds });
  }

  async addSyncedGroup(groupId: string): Promise<void> {
    await this.setSyncedGroups([...(await this.syncedGroups()), groupId]);
  }

  async settings(patch: Record<string, unknown>): Promise<void> {
    await this.ok('/api/admin/settings', 'PATCH', patch);
  }

  /** "Sync now", waiting for the run; fails unless the run ends with `status`. */
  async sync(status = 'succeeded', mode: 'incremental' | 'full' = 'incremental'): Promise<RunView> {
    const run = await this.h.syncNow(mode);
    if (run.status !== status) throw new Error(`expected a ${status} run, got ${run.status}: ${run.error}`);
    if (status === 'succeeded') expect(run.error).toBeNull();
    return run;
  }

  async run(runId: string): Promise<RunRecordView> {
    return this.ok<RunRecordView>(`/api/admin/sync/runs/${runId}`);
  }

  async outcomes(runId: string): Promise<OutcomeRow[]> {
    const all: OutcomeRow[] = [];
    let after = '0';
    for (;;) {
      const page = await this.ok<{ items: OutcomeRow[]; next: string | null }>(
        `/api/admin/sync/runs/${runId}/outcomes?limit=1000&after=${after}`,
      );
      all.push(...page.items);
      if (page.next === null) return all;
      after = page.next;
    }
  }

  /** The outcomes of a run for one e-mail (compared case-insensitively). */
  async outcomesOf(runId: string, email: string): Promise<OutcomeRow[]> {
    return (await this.outcomes(runId)).filter((o) => o.email?.toLowerCase() === email.toLowerCase());
  }

  /** Every HR user, through the export API. */
  async hrUsers(): Promise<HrUserRow[]> {
    const res = await this.h.service.api('/api/admin/export/hr-users?format=json');
    expect(res.status).toBe(200);
    return (await res.json()) as HrUserRow[];
  }

  /** The HR users with this e-mail (compared case-insensitively): an array, so duplicates would show. */
  async hrUsersWith(email: string): Promise<HrUserRow[]> {
    return (await this.hrUsers()).filter((u) => u.email.toLowerCase() === email.toLowerCase());
  }

  async hrUser(email: string): Promise<HrUserRow> {
    const users = await this.hrUsersWith(email);
    expect(users).toHaveLength(1);
    return users[0]!;
  }

  async hrUserByEntraId(entraId: string): Promise<HrUserRow | undefined> {
    return (await this.hrUsers()).find((u) => u.entraId === entraId);
  }

  /** An employee profile for an HR user, connected to it (rule 2.4). */
  async connectProfile(email: string, fields: Record<string, unknown> = {}): Promise<string> {
    const profile = await this.ok<{ id: string }>('/api/admin/employee-profiles', 'POST', {
      email: `profile.${email}`,
      firstName: 'P',
      lastName: 'Rofile',
      ...fields,
    });
    await this.ok(`/api/admin/employee-profiles/${profile.id}/connect`, 'POST', { email });
    return profile.id;
  }

  async sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    return this.h.service.orm.em.fork().execute(text, params);
  }
}

/** A service started as a process of its own on the harness's database, so that it can be killed. */
export interface ServiceProcess {
  url: string;
  api(path: string, init?: { method?: string; json?: unknown }): Promise<Response>;
  kill(): Promise<void>;
  /** SIGTERM, as an orchestrator stops a service; answers the exit code and how long the process took to exit. */
  terminate(): Promise<{ code: number | null; ms: number }>;
}

export async function spawnService(h: SyncHarness, extraEnv: Record<string, string> = {}): Promise<ServiceProcess> {
  const env = testServiceEnv(h.db.url, mkdtempSync(join(tmpdir(), 'ehc-proc-')), { ...h.entraEnv, ...extraEnv });
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'test/support/service-process.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`the service process exited (${code}) before it listened`)));
  });
  return {
    url,
    api: (path, init = {}) =>
      fetch(`${url}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          Authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(init.json === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: init.json === undefined ? undefined : JSON.stringify(init.json),
      }),
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async terminate() {
      const started = Date.now();
      child.kill('SIGTERM');
      const code = await exited;
      return { code, ms: Date.now() - started };
    },
  };
}
