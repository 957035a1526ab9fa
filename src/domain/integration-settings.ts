import type { CustomAttributeMapping } from './attribute-mapping.js';
import type { NeverSyncedPolicy } from './deactivation.js';
import type { FieldOwner } from './ownership.js';
import type { UserSource } from './user-source.js';

/**
 * The integration's settings: one set per installation, changed by the admin (docs/rules.md) and
 * read by the sync, the jobs' schedule, the connection test and the notifier. The webhook secret
 * is not among them: it is stored sealed and only ever said to be set or not.
 */
export interface IntegrationSettings {
  autoSync: boolean;
  /** A duration as the admin writes it: '30 minutes'. */
  syncInterval: string;
  fullReconciliationInterval: string;
  followNestedGroups: boolean;
  neverSyncedPolicy: NeverSyncedPolicy;
  /** The share of active users one run may deactivate before it is held (rule 3.6). */
  guardThreshold: number;
  roleSync: boolean;
  writeBackUpdate: boolean;
  writeBackCreate: boolean;
  writeBackDelete: boolean;
  writeBackFields: string[];
  /** The verified domain of the user principal names of users created in Entra (rule 4.2). */
  writeBackCreateDomain: string | null;
  /** The synced group users created in Entra are added to (rule 4.2); none when null. */
  writeBackCreateGroupId: string | null;
  calendarSync: boolean;
  invitations: boolean;
  attributeMapping: CustomAttributeMapping[];
  fieldOwners: Record<string, FieldOwner>;
  notifyEmail: string | null;
  notifyWebhookUrl: string | null;
  /** Which source owns HR users: the Graph sync, SCIM pushes, or both (docs/rules.md section 7.5). */
  userSource: UserSource;
}

export type SettingName = keyof IntegrationSettings;

/** Every setting once, in the order the API lists changes. */
export const SETTING_NAMES = [
  'autoSync',
  'syncInterval',
  'fullReconciliationInterval',
  'followNestedGroups',
  'neverSyncedPolicy',
  'guardThreshold',
  'roleSync',
  'writeBackUpdate',
  'writeBackCreate',
  'writeBackDelete',
  'writeBackFields',
  'writeBackCreateDomain',
  'writeBackCreateGroupId',
  'calendarSync',
  'invitations',
  'attributeMapping',
  'fieldOwners',
  'notifyEmail',
  'notifyWebhookUrl',
  'userSource',
] as const satisfies readonly SettingName[];

// A setting missing from SETTING_NAMES fails to compile here.
const _everySetting: Record<Exclude<SettingName, (typeof SETTING_NAMES)[number]>, never> = {};
void _everySetting;

/**
 * The settings the recurring jobs' plan depends on; a change to any other leaves the next run where
 * it is. Switching calendar sync on fans the calendar runs out at once (docs/rules.md §6.1).
 */
export const SCHEDULE_SETTINGS: readonly string[] = [
  'autoSync',
  'syncInterval',
  'fullReconciliationInterval',
  'calendarSync',
];
