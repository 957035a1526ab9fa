import type { Router } from 'express';
import type { Scheduler } from '../../jobs/scheduler.js';
import type { SyncLock } from '../../jobs/sync-lock.js';
import type { InboundSyncService } from '../../sync/inbound/inbound-sync.service.js';
import type { EntraConnection } from '../../application/entra-connection.js';
import type { TrustedGraphHosts } from '../../application/connection.service.js';
import type { SyncRequestsService } from '../../application/sync-requests.service.js';
import type { SecretBox } from '../../gateways/db/secret-box.js';
import type { HeldRunNotifier } from '../../application/sync-runs.service.js';
import { auditRouter } from './audit.routes.js';
import { calendarAdminRouter } from './calendar-admin.routes.js';
import { myCalendarRouter } from './my-calendar.routes.js';
import { myCalendarFeedRouter } from './calendar-feed.routes.js';
import { connectionRouter } from './connection.routes.js';
import { employeeProfilesRouter } from './employee-profiles.routes.js';
import { exportRouter } from './export.routes.js';
import { groupsRouter } from './groups.routes.js';
import { settingsRouter } from './settings.routes.js';
import { rolesRouter } from './roles.routes.js';
import { syncRouter } from './sync.routes.js';
import { tokensRouter } from './tokens.routes.js';
import { userStatusRouter } from './user-status.routes.js';
import { meRouter, usersRouter } from './users.routes.js';
import { writeBackRouter } from './write-back.routes.js';
import { invitationsRouter } from './invitations.routes.js';

/** What the routers need from the composition root. */
export interface RouterDeps {
  scheduler: Scheduler;
  lock: SyncLock;
  inbound: InboundSyncService;
  requests: SyncRequestsService;
  /** Whether a background sync can run now. */
  canSync: () => boolean;
  connection: EntraConnection;
  /** Called after integration settings change, so the recurring sync follows the new interval. */
  onSettingsChanged: () => Promise<void>;
  /** Seals secrets kept in the database (AES-256-GCM). */
  secretBox: SecretBox;
  /** Announces confirm and discard of held runs (e-mail, signed webhook). */
  notifier?: HeldRunNotifier;
  /** The Graph hosts the configuration allows beyond Microsoft's clouds. */
  graphHosts: TrustedGraphHosts;
  /** SMTP_URL is configured: without it a notification e-mail setting cannot take effect. */
  smtpConfigured: boolean;
  /** Queues a calendar run of one HR user's mailbox (after a change, or an admin's request). */
  requestCalendarSync: (hrUserId: string, manual?: boolean) => Promise<void>;
  /** The address people's calendar apps reach the service at (PUBLIC_URL): feed URLs hang off it. */
  publicUrl: () => string;
}

/** Every authenticated router of the API, by mount path. One list, so the API's shape reads in one place. */
export function apiRouters(deps: RouterDeps): Array<{ path: string; router: Router }> {
  return [
    { path: '/api/me', router: meRouter() },
    { path: '/api/me', router: myCalendarRouter((id) => deps.requestCalendarSync(id)) },
    { path: '/api/me', router: myCalendarFeedRouter(() => deps.publicUrl()) },
    { path: '/api/admin/users', router: usersRouter() },
    { path: '/api/admin/users', router: userStatusRouter() },
    { path: '/api/admin/users', router: calendarAdminRouter((id, manual) => deps.requestCalendarSync(id, manual)) },
    {
      path: '/api/admin/connection',
      router: connectionRouter({ connection: deps.connection, secretBox: deps.secretBox, hosts: deps.graphHosts }),
    },
    { path: '/api/admin', router: groupsRouter(deps.connection) },
    { path: '/api/admin', router: rolesRouter(deps.connection) },
    {
      path: '/api/admin/settings',
      router: settingsRouter({
        secretBox: deps.secretBox,
        onSettingsChanged: deps.onSettingsChanged,
        environment: { smtpConfigured: deps.smtpConfigured, connected: () => deps.connection.isConnected() },
      }),
    },
    { path: '/api/admin/audit-log', router: auditRouter() },
    { path: '/api/admin/tokens', router: tokensRouter() },
    { path: '/api/admin/employee-profiles', router: employeeProfilesRouter() },
    { path: '/api/admin/export', router: exportRouter() },
    { path: '/api/admin/write-back', router: writeBackRouter(deps.connection) },
    { path: '/api/admin/invitations', router: invitationsRouter(deps.scheduler) },
    {
      path: '/api/admin/sync',
      router: syncRouter({
        scheduler: deps.scheduler,
        lock: deps.lock,
        inbound: deps.inbound,
        requests: deps.requests,
        canSync: deps.canSync,
        connected: () => deps.connection.isConnected(),
        ...(deps.notifier ? { notifier: deps.notifier } : {}),
      }),
    },
  ];
}
