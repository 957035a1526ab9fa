import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestService, type TestService } from '../support/service.js';

interface Status { autoSync: boolean; interval: string; nextRunAt: string | null; nextReconciliationAt: string | null }

describe('the sync schedule follows the settings (rule 2.7)', () => {
  let service: TestService;
  const status = async () => (await (await service.api('/api/admin/sync/status')).json()) as Status;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(async () => service.close());

  it('runs every 30 minutes and reconciles weekly by default', async () => {
    const s = await status();
    expect(s.interval).toBe('30 minutes');
    expect(Date.parse(s.nextRunAt!) - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(Date.parse(s.nextReconciliationAt!) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
  });

  it('takes a new interval at once, and removes both schedules when automatic sync is switched off', async () => {
    expect((await service.api('/api/admin/settings', { method: 'PATCH', json: { syncInterval: '2 hours' } })).status).toBe(200);
    const s = await status();
    expect(s.interval).toBe('2 hours');
    expect(Date.parse(s.nextRunAt!) - Date.now()).toBeGreaterThan(119 * 60_000);
    expect((await service.api('/api/admin/settings', { method: 'PATCH', json: { autoSync: false } })).status).toBe(200);
    const off = await status();
    expect(off).toMatchObject({ autoSync: false, nextRunAt: null, nextReconciliationAt: null });
    // "Sync now" does not depend on automatic sync; here it is refused only because no Entra connection is configured.
    const now = await service.api('/api/admin/sync/run', { method: 'POST', json: {} });
    expect(now.status).toBe(409);
    expect(((await now.json()) as { detail: string }).detail).toMatch(/No Entra connection/);
  });
});
