import { Router, type Request } from 'express';
import { z } from 'zod';
import { describeFieldOwnership } from '../../application/field-ownership.presenter.js';
import { whole } from '../../application/page.js';
import {
  OWNABLE_FIELDS,
  SCHEDULE_SETTINGS,
  SettingsService,
  WRITE_BACK_FIELDS,
  type Sealer,
  type SettingsEnvironment,
} from '../../application/settings.service.js';
import { durationMs } from '../../config/config.js';
import { validateCustomMapping } from '../../domain/attribute-mapping.js';
import { principalOf, requireAdmin } from '../middleware/auth.js';
import { describeRoute } from '../openapi.js';
import { body } from '../validation.js';
import { fieldOwnershipView, settingsChangeView, settingsView, userSource } from '../response-schemas.js';

const DURATION = /^[1-9]\d{0,5} (second|minute|hour|day|week)s?$/;
const duration = (minMs: number, minText: string) =>
  z
    .string()
    .max(32)
    .superRefine((value, ctx) => {
      if (!DURATION.test(value))
        ctx.addIssue({ code: 'custom', message: 'a duration such as "30 minutes" or "1 day"' });
      else if (durationMs(value) < minMs) ctx.addIssue({ code: 'custom', message: `at least ${minText}` });
    });

// https only: the payload names users and the signature secret must not travel in clear. Plain
// http is allowed to this machine only, for tests and a local relay.
const webhookUrl = z
  .url()
  .max(2048)
  .refine((value) => {
    // Zod runs this check after a failed url() too: that one already names the field.
    if (!URL.canParse(value)) return true;
    const url = new URL(value);
    return (
      url.protocol === 'https:' ||
      (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    );
  }, 'an https:// URL (http:// only to 127.0.0.1 or localhost)');

const attributeMapping = z
  .array(z.strictObject({ source: z.string().max(200), target: z.string().max(63) }))
  .max(100)
  .superRefine((entries, ctx) => {
    for (const error of validateCustomMapping(entries)) {
      const part =
        error.code === 'invalid-source' || error.code === 'unknown-extension-attribute' ? 'source' : 'target';
      ctx.addIssue({ code: 'custom', path: [error.index, part], message: error.message });
    }
  });

// Checked per key (not after the whole record), so an unknown field is named even beside a bad owner.
const fieldOwners = z.record(
  z.string().refine((field) => OWNABLE_FIELDS.includes(field)),
  z.enum(['entra', 'hr', 'entra-until-profile']),
  {
    error: (issue) =>
      issue.code === 'invalid_key'
        ? `not a field whose owner can be chosen (one of ${OWNABLE_FIELDS.join(', ')})`
        : undefined,
  },
);

export const settingsPatchSchema = z
  .strictObject({
    autoSync: z.boolean(),
    syncInterval: duration(durationMs('5 minutes'), '5 minutes'),
    fullReconciliationInterval: duration(durationMs('1 hour'), '1 hour'),
    followNestedGroups: z.boolean(),
    neverSyncedPolicy: z.enum(['leave-alone', 'deactivate']),
    guardThreshold: z.number().gt(0).lte(1),
    roleSync: z.boolean(),
    writeBackUpdate: z.boolean(),
    writeBackCreate: z.boolean(),
    writeBackDelete: z.boolean(),
    writeBackFields: z.array(z.enum(WRITE_BACK_FIELDS as [string, ...string[]])).max(WRITE_BACK_FIELDS.length * 2),
    writeBackCreateDomain: z
      .string()
      .max(255)
      .regex(/^([A-Za-z0-9-]+\.)+[A-Za-z0-9-]+$/, "a domain name, one of the tenant's verified domains")
      .nullable(),
    writeBackCreateGroupId: z.uuid().nullable(),
    calendarSync: z.boolean(),
    invitations: z.boolean(),
    attributeMapping,
    fieldOwners,
    notifyEmail: z.email().max(320).nullable(),
    notifyWebhookUrl: webhookUrl.nullable(),
    notifyWebhookSecret: z.string().min(16, 'at least 16 characters').max(256).nullable(),
    userSource,
  })
  .partial();

describeRoute({
  operationId: 'getSettings',
  response: settingsView,
  method: 'get',
  path: '/api/admin/settings',
  summary:
    'The integration settings (the webhook secret shows only as set or not), with warnings for settings that cannot take effect',
  tags: ['settings'],
  admin: true,
});
describeRoute({
  operationId: 'updateSettings',
  response: settingsChangeView,
  method: 'patch',
  path: '/api/admin/settings',
  summary:
    'Change some settings: all valid or none changed; each change is audited; warnings name settings that cannot take effect',
  tags: ['settings'],
  body: settingsPatchSchema,
  admin: true,
});
describeRoute({
  operationId: 'getFieldOwnership',
  response: fieldOwnershipView,
  method: 'get',
  path: '/api/admin/settings/field-ownership',
  summary: 'Every mappable field, its owner, and what that means',
  tags: ['settings'],
  admin: true,
});

export interface SettingsRouterDeps {
  secretBox: Sealer;
  /** For the warnings about settings that cannot take effect (no SMTP, no connection). */
  environment: SettingsEnvironment;
  /** Re-plans the recurring sync after a change to the schedule's settings (no other change moves the next run). */
  onSettingsChanged: () => Promise<void>;
}

export function settingsRouter(deps: SettingsRouterDeps): Router {
  const router = Router();
  router.use(requireAdmin);
  const service = (req: Request) => new SettingsService(req.context.repos, deps.secretBox);
  router.get('/', async (req, res) => {
    const settings = await service(req).get();
    res.json({ ...settings, warnings: await service(req).warnings(settings, deps.environment) });
  });
  router.patch('/', async (req, res) => {
    const patch = body(req, settingsPatchSchema);
    const { settings, changed } = await service(req).update(patch, principalOf(req).userId);
    // The change is committed; a failure to re-plan the schedule is logged, not reported as a failed change.
    if (changed.some((name) => SCHEDULE_SETTINGS.includes(name)))
      await deps
        .onSettingsChanged()
        .catch((error: unknown) => req.log.error({ err: error }, 'could not re-plan the sync after a settings change'));
    res.json({ ...settings, changed, warnings: await service(req).warnings(settings, deps.environment) });
  });
  router.get('/field-ownership', async (req, res) => {
    res.json(whole(describeFieldOwnership(await service(req).get())));
  });
  return router;
}
