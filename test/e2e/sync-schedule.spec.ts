import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestService, type TestService } from '../support/service.js';

interface Status {
  autoSync: boolean;
  interval: string;
  nextRunAt: string | null;
  nextReconciliationAt: string | null;
}

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

  it('keeps the next run where it is when a setting that is not the schedule changes, and on a restart', async () => {
    const before = await status();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const res = await service.api('/api/admin/settings', {
      method: 'PATCH',
      json: { notifyEmail: 'hr-ops@contoso.com', guardThreshold: 0.2 },
    });
    expect(res.status).toBe(200);
    expect(await status()).toMatchObject({
      nextRunAt: before.nextRunAt,
      nextReconciliationAt: before.nextReconciliationAt,
    });
    // The same interval sent again is no change either.
    await service.api('/api/admin/settings', { method: 'PATCH', json: { syncInterval: '30 minutes' } });
    expect((await status()).nextRunAt).toBe(before.nextRunAt);
    // A second process on the same database (a restart) plans nothing again.
    const again = await startTestService({ db: service.db });
    try {
      const seen = (await (await again.api('/api/admin/sync/status')).json()) as Status;
      expect(seen).toMatchObject({ nextRunAt: before.nextRunAt, nextReconciliationAt: before.nextReconciliationAt });
    } finally {
      await again.close();
    }
  });

  it('takes a new interval at once, and removes both schedules when automatic sync is switched off', async () => {
    expect(
      (await service.api('/api/admin/settings', { method: 'PATCH', json: { syncInterval: '2 hours' } })).status,
    ).toBe(200);
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
