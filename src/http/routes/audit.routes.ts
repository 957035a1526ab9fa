import { Router } from 'express';
import { z } from 'zod';
import { AuditLogService } from '../../application/audit-log.service.js';
import { requireAdmin } from '../middleware/auth.js';
import { describeRoute } from '../openapi.js';
import { query } from '../validation.js';
import { auditPageView } from '../response-schemas.js';

const auditQuery = z.strictObject({
  after: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  action: z.string().trim().min(1).max(64).optional(),
});

describeRoute({
  operationId: 'listAuditLog',
  response: auditPageView,
  method: 'get',
  path: '/api/admin/audit-log',
  summary: 'Who changed what and when, newest first (page on with ?after=<next>)',
  tags: ['settings'],
  query: auditQuery,
  admin: true,
});

export function auditRouter(): Router {
  const router = Router();
  router.use(requireAdmin);
  router.get('/', async (req, res) => {
    res.json(await new AuditLogService(req.context.repos.audit).list(query(req, auditQuery)));
  });
  return router;
}
