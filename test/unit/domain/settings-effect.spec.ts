import { describe, expect, it } from '@jest/globals';
import { settingsWarnings, type SettingsFacts, type SettingsInEffect } from '../../../src/domain/settings-effect.js';

const defaults: SettingsInEffect = {
  autoSync: true,
  roleSync: false,
  writeBackUpdate: false,
  writeBackCreate: false,
  writeBackDelete: false,
  writeBackFields: [],
  writeBackCreateDomain: null,
  calendarSync: false,
  invitations: false,
  notifyEmail: null,
  notifyWebhookUrl: null,
  notifyWebhookSecretSet: false,
  userSource: 'pull',
};
const ready: SettingsFacts = { smtpConfigured: false, connected: true, syncedGroups: 1, roleMappings: 0 };
const codes = (settings: Partial<SettingsInEffect>, facts: Partial<SettingsFacts> = {}) =>
  settingsWarnings({ ...defaults, ...settings }, { ...ready, ...facts }).map((w) => `${w.setting}:${w.code}`);

describe('settingsWarnings', () => {
  it('has nothing to say about the defaults of a connected service with a synced group', () => {
    expect(codes({})).toEqual([]);
  });

  it('says invitations wait for an SMTP server', () => {
    expect(settingsWarnings({ ...defaults, invitations: true }, ready)).toEqual([
      {
        setting: 'invitations',
        code: 'smtp-not-configured',
        message:
          'No invitation is sent: SMTP_URL is not configured on the service. Invitations wait until it is, and the admin sees them as pending.',
      },
    ]);
  });

  it.each<[string, Partial<SettingsInEffect>, Partial<SettingsFacts>, string[]]>([
    [
      'an e-mail address with no SMTP server',
      { notifyEmail: 'ops@contoso.com' },
      {},
      ['notifyEmail:smtp-not-configured'],
    ],
    ['an e-mail address with an SMTP server', { notifyEmail: 'ops@contoso.com' }, { smtpConfigured: true }, []],
    [
      'a webhook secret without a URL',
      { notifyWebhookSecretSet: true },
      {},
      ['notifyWebhookSecret:webhook-secret-without-url'],
    ],
    [
      'a webhook secret with a URL',
      { notifyWebhookSecretSet: true, notifyWebhookUrl: 'https://hooks.example.com' },
      {},
      [],
    ],
    ['role mappings while role sync is off', {}, { roleMappings: 2 }, ['roleSync:role-sync-off']],
    ['role mappings while role sync is on', { roleSync: true }, { roleMappings: 2 }, []],
    ['role sync on without a mapping', { roleSync: true }, {}, ['roleSync:no-role-mappings']],
    [
      'calendar sync and invitations, with SMTP',
      { calendarSync: true, invitations: true },
      { smtpConfigured: true },
      [],
    ],
    [
      'invitations without SMTP (rule 8.4)',
      { invitations: true },
      { smtpConfigured: false },
      ['invitations:smtp-not-configured'],
    ],
    [
      'creations on without a verified domain (rule 4.2)',
      { writeBackCreate: true },
      {},
      ['writeBackCreateDomain:no-create-domain'],
    ],
    ['creations on with a verified domain', { writeBackCreate: true, writeBackCreateDomain: 'contoso.com' }, {}, []],
    [
      'fields permitted for write-back while updates are off',
      { writeBackFields: ['jobTitle'] },
      {},
      ['writeBackFields:write-back-update-off'],
    ],
    [
      'fields permitted for write-back with updates on (rule 4.1)',
      { writeBackFields: ['jobTitle'], writeBackUpdate: true },
      {},
      [],
    ],
    ['no synced group', {}, { syncedGroups: 0 }, ['autoSync:no-synced-groups']],
    [
      'no connection (the groups do not matter then)',
      {},
      { connected: false, syncedGroups: 0 },
      ['autoSync:not-connected'],
    ],
    [
      'users from SCIM only: the Graph sync is off, and its connection and groups do not matter (rule 7.5)',
      { userSource: 'push' },
      { connected: false, syncedGroups: 0 },
      ['userSource:pull-off'],
    ],
    ['users from SCIM only, connected with a synced group', { userSource: 'push' }, {}, ['userSource:pull-off']],
    [
      'users from both sources: the Graph sync runs',
      { userSource: 'both' },
      { syncedGroups: 0 },
      ['autoSync:no-synced-groups'],
    ],
  ])('%s', (_name, settings, facts, expected) => {
    expect(codes(settings, facts)).toEqual(expected);
  });

  it('says why the Graph sync is off under userSource push, and how to run it again', () => {
    expect(settingsWarnings({ ...defaults, userSource: 'push' }, ready)).toEqual([
      {
        setting: 'userSource',
        code: 'pull-off',
        message: expect.stringMatching(
          /^The Graph user sync is off: userSource is push, .* Set userSource to both \(or pull\) to run it again/,
        ),
      },
    ]);
  });

  it('counts the mapped groups in words', () => {
    const [one] = settingsWarnings(defaults, { ...ready, roleMappings: 1 });
    expect(one!.message).toMatch(/^1 Entra group is mapped/);
    const [three] = settingsWarnings(defaults, { ...ready, roleMappings: 3 });
    expect(three!.message).toMatch(/^3 Entra groups are mapped/);
  });

  it('says in words what each warning means', () => {
    const everything = settingsWarnings(
      {
        ...defaults,
        roleSync: false,
        writeBackCreate: true,
        writeBackFields: ['jobTitle'],
        notifyEmail: 'ops@contoso.com',
        notifyWebhookSecretSet: true,
      },
      { ...ready, roleMappings: 2 },
    );
    expect(everything).toEqual([
      {
        setting: 'notifyEmail',
        code: 'smtp-not-configured',
        message:
          'No e-mail is sent: SMTP_URL is not configured on the service, so notifications go only to the webhook, if one is set.',
      },
      {
        setting: 'notifyWebhookSecret',
        code: 'webhook-secret-without-url',
        message: 'The webhook secret is set but no webhook URL is, so nothing is signed or sent.',
      },
      {
        setting: 'roleSync',
        code: 'role-sync-off',
        message:
          '2 Entra groups are mapped to HR roles, but role sync is off: the sync changes no roles until roleSync is true.',
      },
      {
        setting: 'writeBackFields',
        code: 'write-back-update-off',
        message: 'Fields are permitted for write-back, but writeBackUpdate is off, so none is written to Entra.',
      },
      {
        setting: 'writeBackCreateDomain',
        code: 'no-create-domain',
        message:
          'writeBackCreate is on, but no verified domain is chosen for the new users (GET /api/admin/write-back/domains), so none is created in Entra.',
      },
    ]);
    expect(
      settingsWarnings({ ...defaults, roleSync: true, calendarSync: true }, { ...ready, syncedGroups: 0 }),
    ).toEqual([
      {
        setting: 'roleSync',
        code: 'no-role-mappings',
        message:
          'Role sync is on, but no Entra group is mapped to an HR role (POST /api/admin/role-mappings), so no role changes.',
      },
      {
        setting: 'autoSync',
        code: 'no-synced-groups',
        message:
          'No synced group is chosen (PUT /api/admin/synced-groups), so a sync finds nobody to create or update.',
      },
    ]);
    expect(settingsWarnings(defaults, { ...ready, connected: false })).toEqual([
      {
        setting: 'autoSync',
        code: 'not-connected',
        message: 'No Entra connection is configured (PUT /api/admin/connection), so no sync runs, scheduled or not.',
      },
    ]);
  });
});
