import { Router } from 'express';
import { z } from 'zod';
import type { Scheduler } from '../../jobs/scheduler.js';
import { principalOf, requireAdmin } from '../middleware/auth.js';
import { describeRoute } from '../openapi.js';
import { body } from '../validation.js';

const runBody = z.object({ mode: z.enum(['incremental', 'full']).default('incremental') });

describeRoute({ method: 'get', path: '/api/admin/sync/status', summary: 'Schedule of the Entra sync: next run, queued and running', tags: ['sync'], admin: true });
describeRoute({ method: 'post', path: '/api/admin/sync/run', summary: 'Sync now: queue an Entra sync at once', tags: ['sync'], body: runBody, status: 202, admin: true });

export function syncRouter(scheduler: Scheduler): Router {
  const router = Router();
  router.use(requireAdmin);
  router.get('/status', async (req, res) => {
    const settings = await req.context.em.execute<{ auto_sync: boolean; sync_interval: string }[]>(
      'select auto_sync, sync_interval from integration_settings where id = 1',
    );
    const job = await scheduler.status('entra-sync');
    const lastRun = await req.context.em.execute(
      `select id, trigger, mode, status, started_at as "startedAt", finished_at as "finishedAt", counts from sync_run order by started_at desc limit 1`,
    );
    res.json({
      autoSync: settings[0]?.auto_sync ?? false,
      interval: settings[0]?.sync_interval ?? null,
      nextRunAt: job.nextRunAt,
      queued: job.queued,
      running: job.running,
      lastRun: lastRun[0] ?? null,
    });
  });
  router.post('/run', async (req, res) => {
    const { mode } = body(req, runBody);
    const jobId = await scheduler.now('entra-sync', { trigger: 'manual', mode, requestedBy: principalOf(req).userId });
    res.status(202).json({ jobId, queued: true });
  });
  return router;
}
