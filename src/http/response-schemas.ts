import { z } from 'zod';
import { SYNC_RUN_MODES, SYNC_RUN_STATUSES, SYNC_RUN_TRIGGERS } from '../sync/inbound/sync-run.ports.js';
import { USER_SOURCES } from '../domain/user-source.js';
import { profileViewShape } from './hr-field.schemas.js';
import { openApiRegistry } from './openapi.js';

/**
 * The bodies the API answers with, as documented in /openapi.json. Not strict: a client must
 * accept fields added later. Times are ISO 8601 in UTC with a Z (src/gateways/db/sql-time.ts).
 */
const timestamp = z
  .string()
  .describe('ISO 8601 date-time in UTC with milliseconds and a Z, e.g. 2026-11-30T08:08:43.698Z');
const calendarDate = z.string().describe('YYYY-MM-DD');
const owner = z.enum(['entra', 'hr', 'entra-until-profile']);

/** Every list is `{ items, next }` (src/application/page.ts): short lists are never paged, so their `next` is null. */
export const itemsOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), next: z.null().describe('Always null: this list is never paged') });
export const pageOf = <T extends z.ZodType, N extends z.ZodType>(item: T, next: N) =>
  z.object({
    items: z.array(item),
    next: next.nullable().describe('The cursor of the following page (pass it as ?after=); null on the last page'),
  });

export const principalView = openApiRegistry.register(
  'Principal',
  z.object({ userId: z.uuid(), email: z.string(), roles: z.array(z.string()), isAdmin: z.boolean() }),
);

export const hrUserSummaryView = openApiRegistry.register(
  'HrUserSummary',
  z.object({
    id: z.uuid(),
    email: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    active: z.boolean(),
    origin: z.string(),
    entraId: z.string().nullable(),
    roles: z.array(z.string()),
  }),
);

export const hrUserDetailView = openApiRegistry.register(
  'HrUserDetail',
  hrUserSummaryView.extend({
    hasEmployeeProfile: z.boolean(),
    deactivatedReason: z.string().nullable(),
    lastSyncedAt: timestamp.nullable(),
    customFields: z.record(z.string(), z.unknown()),
    fields: z.record(
      z.string(),
      z.object({
        value: z.string().nullable(),
        source: z.string().nullable(),
        changedAt: timestamp.nullable(),
        readOnly: z.boolean(),
      }),
    ),
  }),
);

export const hrUserDeletionView = openApiRegistry.register(
  'HrUserDeletion',
  z.object({
    id: z.uuid(),
    email: z.string(),
    entraId: z.string().nullable().describe('The Entra user the HR user was linked to, kept on the write-back change'),
    entra: z
      .enum(['deleted-by-write-back', 'not-linked', 'kept-write-back-off'])
      .describe(
        "What happens to the Entra user (rule 4.3): deleted to Entra's deleted users by write-back, none, or kept",
      ),
    writeBackChangeId: z.string().nullable().describe('The write-back change that deletes the Entra user'),
    employeeProfileId: z.uuid().nullable().describe('The employee profile that stays, connected to no HR user'),
    notes: z.array(z.string()).describe('What the deletion did beyond HR, in words'),
  }),
);
export const hrUserStatusView = openApiRegistry.register(
  'HrUserStatus',
  z.object({ id: z.uuid(), email: z.string(), active: z.boolean(), deactivatedReason: z.string().nullable() }),
);

const customValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const employeeProfileView = openApiRegistry.register(
  'EmployeeProfile',
  z.object({
    id: z.uuid(),
    ...profileViewShape(),
    customFields: z.record(z.string(), customValue),
    resignationDate: calendarDate.nullable(),
    employmentStatus: z.enum(['active', 'pending', 'archived']),
    hrUser: z
      .object({ id: z.uuid(), email: z.string(), active: z.boolean(), deactivatedReason: z.string().nullable() })
      .nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
);

export const groupView = openApiRegistry.register(
  'Group',
  z.object({
    id: z.string(),
    displayName: z.string().nullable(),
    description: z.string().nullable().optional(),
    memberCount: z
      .number()
      .int()
      .nullable()
      .describe(
        "Users in the group, nested groups followed. Listing the tenant's groups: as Graph counts them now (the first 100 groups; the rest as the last sync saw them). Synced groups: as the last sync saw them. Null when neither counted it",
      ),
  }),
);

export const roleView = openApiRegistry.register(
  'Role',
  z.object({
    id: z.uuid(),
    name: z.string(),
    protected: z.boolean(),
    holders: z.number().int(),
    mappedGroups: z.array(z.object({ mappingId: z.uuid(), groupId: z.string(), groupDisplayName: z.string() })),
  }),
);
export const userRolesView = openApiRegistry.register(
  'UserRoles',
  z.object({ id: z.uuid(), email: z.string(), roles: z.array(z.string()) }),
);
export const roleMappingView = openApiRegistry.register(
  'RoleMapping',
  z.object({
    id: z.uuid(),
    groupId: z.string(),
    groupDisplayName: z.string(),
    roleId: z.uuid(),
    roleName: z.string(),
    createdAt: timestamp,
  }),
);

export const userSource = z
  .enum(USER_SOURCES)
  .describe(
    'Which source owns HR users: pull (the Graph sync; SCIM only reads), push (SCIM pushes; the Graph sync does not run), or both (the Graph sync wins for the users it linked)',
  );

export const settingsView = openApiRegistry.register(
  'Settings',
  z.object({
    autoSync: z.boolean(),
    syncInterval: z.string(),
    fullReconciliationInterval: z.string(),
    followNestedGroups: z.boolean(),
    neverSyncedPolicy: z.enum(['leave-alone', 'deactivate']),
    guardThreshold: z.number(),
    roleSync: z.boolean(),
    writeBackUpdate: z.boolean(),
    writeBackCreate: z.boolean(),
    writeBackDelete: z.boolean(),
    writeBackFields: z.array(z.string()),
    writeBackCreateDomain: z.string().nullable(),
    writeBackCreateGroupId: z.string().nullable(),
    calendarSync: z.boolean(),
    invitations: z.boolean(),
    attributeMapping: z.array(z.object({ source: z.string(), target: z.string() })),
    fieldOwners: z.record(z.string(), owner),
    notifyEmail: z.string().nullable(),
    notifyWebhookUrl: z.string().nullable(),
    notifyWebhookSecretSet: z.boolean(),
    userSource: userSource,
    updatedAt: timestamp,
    warnings: z
      .array(z.object({ setting: z.string(), code: z.string(), message: z.string() }))
      .describe('Settings that cannot take effect as things stand, and why'),
  }),
);
export const settingsChangeView = settingsView.extend({
  changed: z.array(z.string()).describe('The settings this request changed'),
});

export const fieldOwnershipView = itemsOf(
  z.object({
    field: z.string(),
    label: z.string(),
    owner,
    isDefault: z.boolean(),
    configurable: z.boolean(),
    readOnlyInHr: z.object({ withoutEmployeeProfile: z.boolean(), withEmployeeProfile: z.boolean() }),
    writtenBackToEntra: z.boolean(),
    meaning: z.string(),
  }),
);

export const auditPageView = pageOf(
  z.object({
    id: z.number().int(),
    at: timestamp,
    actorId: z.uuid().nullable(),
    actorEmail: z.string().nullable(),
    action: z.string(),
    target: z.string().nullable(),
    oldValue: z.unknown(),
    newValue: z.unknown(),
  }),
  z.string(),
);

const counts = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  deactivated: z.number().int(),
  reactivated: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
});
export const runView = openApiRegistry.register(
  'SyncRun',
  z.object({
    id: z.uuid(),
    trigger: z.enum(SYNC_RUN_TRIGGERS),
    mode: z.enum(SYNC_RUN_MODES),
    status: z.enum(SYNC_RUN_STATUSES),
    startedAt: timestamp,
    finishedAt: timestamp.nullable(),
    counts,
    progress: z
      .object({
        stage: z.string(),
        pages: z.number().int(),
        processed: z.number().int().describe('Entra users the apply stage has looked at'),
        total: z
          .number()
          .int()
          .nullable()
          .describe('Entra users the run will look at: null (unknown) until the fetch stage has ended'),
        unchanged: z.number().int().describe('Processed users in a synced group with nothing to change'),
        notInScope: z.number().int().describe('Processed users in no synced group, with nothing to undo'),
      })
      .describe('counts + unchanged + notInScope = processed'),
    error: z.string().nullable(),
    requestedBy: z.uuid().nullable().describe('The HR user who asked for the run (sync now, preview, one user)'),
    cancelledBy: z.uuid().nullable().describe('The HR user who cancelled it'),
    throttleWaitMs: z.number().int().describe("Time the run waited for Graph's Retry-After, all requests together"),
    pendingDeactivations: z.number().int().describe('Deactivations a held run waits to make'),
  }),
);
export const outcomeView = openApiRegistry.register(
  'SyncOutcome',
  z.object({
    id: z.number().int(),
    hrUserId: z.uuid().nullable(),
    entraId: z.string().nullable(),
    email: z.string().nullable(),
    outcome: z.string(),
    changes: z.array(z.object({ field: z.string(), old: z.unknown(), new: z.unknown() })),
    reason: z.string().nullable(),
  }),
);
export const runDetailView = runView.extend({
  pending: z.array(
    z.object({
      hrUserId: z.uuid(),
      email: z.string(),
      reason: z.string(),
      stillDue: z
        .boolean()
        .describe('Whether confirm would apply it now (rule 3.2: back in a synced group means not due)'),
      notDueReason: z.string().nullable(),
    }),
  ),
});
export const heldRunView = runView.extend({
  stillDue: z.number().int().describe('How many of its deactivations confirm would apply now'),
});
export const runWithOutcomesView = z.object({ run: runView, outcomes: z.array(outcomeView) });
export const previewView = runWithOutcomesView.extend({
  wouldBeHeld: z.boolean().describe('Whether the real run would be held for confirmation (rule 3.6)'),
  guard: z
    .object({
      wouldBeHeld: z.boolean(),
      toDeactivate: z.number().int(),
      activeUsers: z.number().int(),
      threshold: z.number(),
      text: z.string().nullable(),
    })
    .nullable(),
});
export const syncStatusView = z.object({
  connected: z.boolean(),
  autoSync: z.boolean(),
  interval: z.string(),
  nextRunAt: timestamp.nullable(),
  nextReconciliationAt: timestamp.nullable(),
  queued: z.number().int(),
  running: z.number().int(),
  activeRun: z
    .object({ id: z.uuid(), status: z.enum(['queued', 'running']) })
    .nullable()
    .describe('The background run queued or running now'),
  lastRun: runView.nullable(),
  heldRuns: z.array(heldRunView).describe('Held runs waiting for confirm or discard, however old'),
});
export const syncQueuedView = z.object({
  runId: z.uuid(),
  joined: z.boolean().describe('True when a run was already queued or running: this request joined it'),
  run: runView,
});
export const reconciliationView = z.object({
  entraUsersWithoutHrUser: z.object({
    total: z.number().int(),
    items: z.array(
      z.object({
        entraId: z.string(),
        email: z.string().nullable(),
        displayName: z.string().nullable(),
        reason: z.string(),
      }),
    ),
  }),
  hrUsersWithoutEntraLink: z.object({
    total: z.number().int(),
    items: z.array(z.object({ id: z.uuid(), email: z.string(), origin: z.string() })),
  }),
  emailMismatches: z.object({
    total: z.number().int(),
    items: z.array(
      z.object({ id: z.uuid(), hrEmail: z.string(), entraEmail: z.string().nullable(), entraId: z.string() }),
    ),
  }),
});

export const connectionTestView = z.object({
  ok: z.boolean(),
  missingPermissions: z.array(z.string()),
  grantedPermissions: z.array(z.string()),
  requiredPermissions: z.array(z.string()),
  probes: z.array(
    z.object({
      name: z.string(),
      url: z.string(),
      permission: z.string(),
      ok: z.boolean(),
      skipped: z.boolean().optional(),
      status: z.number().int().optional(),
      code: z.string().optional(),
    }),
  ),
  credentialError: z.object({ failure: z.string(), code: z.string(), message: z.string() }).optional(),
  problems: z.array(z.string()),
  warnings: z.array(z.string()),
  testedAt: timestamp,
});

/** An export download by `?format=`: CSV (RFC 4180, header row) or a JSON array of the same rows. */
export const exportDownload = {
  content: {
    'text/csv': z
      .string()
      .describe("RFC 4180 CSV with a header row; cells a spreadsheet would run as a formula start with '"),
    'application/json': z.array(z.record(z.string(), z.unknown())),
  },
};
export const pictureDownload = { content: { 'image/*': z.string().describe('The picture bytes') } };
