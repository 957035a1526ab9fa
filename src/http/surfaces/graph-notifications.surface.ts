import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { AppError } from '../../application/app-error.js';
import { GraphNotificationsService } from '../../application/graph-notifications.service.js';
import { errorHandler } from '../middleware/error-handler.js';
import { parseForeign } from '../validation.js';
import { hasContent, noStore, type Surface, type SurfaceKit } from './surface.js';

export const GRAPH_NOTIFICATIONS_PATH = '/api/notifications/graph';

/**
 * One change notification of a batch (changeNotification), or a lifecycle notification
 * (lifecycleEvent, sent to the same kind of URL): loose objects, as Graph adds properties
 * (resourceData, encryptedContent) by resource and version.
 * https://learn.microsoft.com/en-us/graph/api/resources/changenotification
 */
const notification = z
  .looseObject({
    subscriptionId: z.string().min(1),
    subscriptionExpirationDateTime: z.string().optional(),
    clientState: z.string().optional(),
    tenantId: z.string().optional(),
    changeType: z.string().min(1).optional(),
    resource: z.string().min(1).optional(),
    lifecycleEvent: z.string().min(1).optional(),
  })
  .refine((n) => (n.changeType !== undefined && n.resource !== undefined) || n.lifecycleEvent !== undefined, {
    message: 'a notification names a changeType and a resource, or a lifecycleEvent',
  });
/** changeNotificationCollection: https://learn.microsoft.com/en-us/graph/api/resources/changenotificationcollection */
const notificationBatch = z.looseObject({
  value: z.array(notification).min(1),
  validationTokens: z.array(z.string()).optional(),
});

/**
 * Where Microsoft Graph delivers change notifications: public (Graph sends no credential of ours),
 * rate limited, problem+json errors (Graph reads only the status).
 *
 * - Validation: when a subscription is created, Graph POSTs `?validationToken=<token>` (text/plain)
 *   and creates the subscription only if the answer comes within 10 seconds, 200, text/plain, with
 *   the URL-decoded token as the body; tokens never hold HTML, and escaping it keeps the endpoint
 *   from reflecting markup (https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks#notificationurl-validation).
 *   Answered first, before any body is read or any database is asked.
 * - Notifications (and lifecycle notifications, which come to the same URL): a JSON batch
 *   `{ value: [...] }`; each one whose clientState matches its subscription asks for a run of its
 *   mailbox (GraphNotificationsService). The whole batch is recorded in one statement (two when it
 *   holds lifecycle notifications), 202 is answered once that has committed, and only then are the
 *   runs' jobs queued, as Graph advises: respond quickly, process afterwards
 *   (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks#process-the-change-notification;
 *   Graph waits 3 seconds for a 2xx and counts 2.9 s as slow). A job that cannot be queued is a
 *   warning in the log, never an error to Graph: what was recorded makes the calendar schedule run
 *   the mailbox (docs/rules.md §6.9).
 */
export function graphNotificationsSurface(options: {
  kit: SurfaceKit;
  bodyLimit: string;
  /** Queues a calendar run of one mailbox (docs/rules.md §6.9). */
  requestCalendarSync: (hrUserId: string) => Promise<void>;
}): Surface {
  const router = Router();
  router.use(options.kit.rateLimit, noStore);
  router.post(
    '/',
    answerValidation,
    requireJson,
    express.json({ limit: options.bodyLimit }),
    options.kit.withEntityManager,
    async (req, res) => {
      const batch = parseForeign(notificationBatch, req.body ?? {}, 'body');
      const service = new GraphNotificationsService(req.context.repos, options.requestCalendarSync);
      const { mailboxes, ignored } = await service.accept(batch.value);
      res.status(202).end();
      const runs = await service.requestRuns(mailboxes, (hrUserId, error) =>
        req.log.warn(
          { err: error, hrUserId },
          'the calendar run a Graph notification asked for could not be queued; the calendar schedule runs the mailbox',
        ),
      );
      req.log.debug({ notifications: batch.value.length, runs, ignored }, 'Graph change notifications accepted');
    },
  );
  router.all('/', (req, res, next) => {
    res.setHeader('Allow', 'POST');
    next(new AppError('method_not_allowed', `${req.method} is not allowed here; Microsoft Graph POSTs`));
  });
  router.use((req, _res, next) =>
    next(new AppError('not_found', `No route for ${req.method} ${req.baseUrl}${req.path}`)),
  );
  router.use(errorHandler);
  return { name: 'Graph change notifications', path: GRAPH_NOTIFICATIONS_PATH, router };
}

const answerValidation: RequestHandler = (req, res, next) => {
  const token = req.query.validationToken;
  if (token === undefined) return next();
  if (typeof token !== 'string' || token === '')
    return next(new AppError('bad_request', 'validationToken must be given once, not empty'));
  res.status(200).type('text/plain').send(escapeHtml(token));
};

const requireJson: RequestHandler = (req, _res, next) => {
  if (!hasContent(req.headers)) return next(new AppError('bad_request', 'A change notification batch is required'));
  if (req.is('application/json')) return next();
  next(new AppError('unsupported_media_type', 'Change notifications are application/json'));
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
