import { Router } from 'express';
import { z } from 'zod';
import { HrUserStatusService } from '../../application/hr-user-status.service.js';
import { principalOf, requireAdmin } from '../middleware/auth.js';
import { describeRoute } from '../openapi.js';
import { params } from '../validation.js';
import { hrUserStatusView } from '../response-schemas.js';

const idParams = z.strictObject({ id: z.uuid() });

describeRoute({
  operationId: 'deactivateHrUser',
  response: hrUserStatusView,
  errors: [409],
  method: 'post',
  path: '/api/admin/users/:id/deactivate',
  summary:
    'Deactivate an HR user by hand (never deleted); a synced user still in a synced group is reactivated by the next run (rule 3.2)',
  tags: ['users'],
  params: idParams,
  admin: true,
});
describeRoute({
  operationId: 'reactivateHrUser',
  response: hrUserStatusView,
  method: 'post',
  path: '/api/admin/users/:id/reactivate',
  summary: "Reactivate an HR user by hand; for a synced user the next run applies Entra's status again",
  tags: ['users'],
  params: idParams,
  admin: true,
});

/** Account status by hand (rules 3.1, 3.2). */
export function userStatusRouter(): Router {
  const router = Router();
  router.use(requireAdmin);
  for (const [action, active] of [
    ['deactivate', false],
    ['reactivate', true],
  ] as const) {
    router.post(`/:id/${action}`, async (req, res) => {
      res.json(
        await new HrUserStatusService(req.context.repos).setActive(
          params(req, idParams).id,
          active,
          principalOf(req).userId,
        ),
      );
    });
  }
  return router;
}
