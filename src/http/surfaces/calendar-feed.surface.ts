import { createHash } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../application/app-error.js';
import { CALENDAR_FEED_PATH, CalendarFeedService } from '../../application/calendar-feed.service.js';
import { errorHandler } from '../middleware/error-handler.js';
import { openApiRegistry } from '../openapi.js';
import type { Surface, SurfaceKit } from './surface.js';

openApiRegistry.registerPath({
  operationId: 'readCalendarFeed',
  method: 'get',
  path: `${CALENDAR_FEED_PATH}/{token}.ics`,
  summary:
    "An employee's HR calendar as iCalendar (RFC 5545), for calendar apps to subscribe to: the secret URL is the credential (rule 6.4)",
  tags: ['calendars'],
  request: {
    params: z.object({ token: z.string().describe('the secret of the URL POST /api/me/calendar-feed made') }),
  },
  responses: {
    200: { description: 'The feed', content: { 'text/calendar': { schema: z.string() } } },
    304: { description: 'Unchanged since the ETag given in If-None-Match' },
    404: { description: 'No such feed: unknown, replaced or revoked URL, or an inactive employee' },
    429: { description: 'Too many requests from this address' },
  },
});

/**
 * The employees' iCalendar feeds (docs/rules.md §6.4): public, since calendar apps send no
 * credential of ours; the URL's secret is the credential, so an unknown, replaced or revoked one is
 * a plain 404 that says nothing of why. The log never shows the secret (app.ts writes this path
 * without it). An ETag of the text lets a polling app skip an unchanged feed (RFC 9110 section 13.1.2).
 */
export function calendarFeedSurface(options: { kit: SurfaceKit }): Surface {
  const router = Router();
  router.use(options.kit.rateLimit, (_req, res, next) => {
    // It names people and their days: no cache keeps it (RFC 9111 section 5.2.2.5).
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  router.get('/:file', options.kit.withEntityManager, async (req, res, next) => {
    const token = /^(.+)\.ics$/.exec(String(req.params.file))?.[1];
    const text = token ? await new CalendarFeedService(req.context.repos).read(token) : null;
    if (text === null) return next(new AppError('not_found', 'No such calendar feed'));
    const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
    res.setHeader('ETag', etag);
    if (req.headers['if-none-match'] === etag) return res.status(304).end();
    res.type('text/calendar; charset=utf-8').setHeader('Content-Disposition', 'inline; filename="hr-calendar.ics"');
    res.send(text);
  });
  router.use((req, _res, next) => next(new AppError('not_found', 'No such calendar feed')));
  router.use(errorHandler);
  return { name: 'calendar feeds', path: CALENDAR_FEED_PATH, router };
}

/** The path as logs may show it: a feed's secret never reaches a log line. */
export function withoutFeedSecret(url: string): string {
  return url.startsWith(`${CALENDAR_FEED_PATH}/`) ? `${CALENDAR_FEED_PATH}/[secret].ics` : url;
}
