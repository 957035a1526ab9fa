import { describe, expect, it } from '@jest/globals';
import { settingsWarnings, type SettingsFacts, type SettingsInEffect } from '../../../src/domain/settings-effect.js';

const defaults: SettingsInEffect = {
  autoSync: true,
  roleSync: false,
  writeBackUpdate: false,
  writeBackCreate: false,
  writeBackDelete: false,
  writeBackFields: [],
  calendarSync: false,
  invitations: false,
  notifyEmail: null,
  notifyWebhookUrl: null,
  notifyWebhookSecretSet: false,
};
const ready: SettingsFacts = { smtpConfigured: false, connected: true, syncedGroups: 1, roleMappings: 0 };
const codes = (settings: Partial<SettingsInEffect>, facts: Partial<SettingsFacts> = {}) =>
  settingsWarnings({ ...defaults, ...settings }, { ...ready, ...facts }).map((w) => `${w.setting}:${w.code}`);

describe('settingsWarnings', () => {
  it('has nothing to say about the defaults of a connected service with a synced group', () => {
    expect(codes({})).toEqual([]);
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
      'features that are not built',
      { writeBackCreate: true, calendarSync: true, invitations: true },
      {},
      ['writeBackCreate:not-built-yet', 'calendarSync:not-built-yet', 'invitations:not-built-yet'],
    ],
    [
      'fields permitted for write-back while updates are off',
      { writeBackFields: ['jobTitle'] },
      {},
      ['writeBackFields:write-back-update-off'],
    ],
    [
      'fields permitted for write-back with updates on (not built)',
      { writeBackFields: ['jobTitle'], writeBackUpdate: true },
      {},
      ['writeBackUpdate:not-built-yet'],
    ],
    ['no synced group', {}, { syncedGroups: 0 }, ['autoSync:no-synced-groups']],
    [
      'no connection (the groups do not matter then)',
      {},
      { connected: false, syncedGroups: 0 },
      ['autoSync:not-connected'],
    ],
  ])('%s', (_name, settings, facts, expected) => {
    expect(codes(settings, facts)).toEqual(expected);
  });

  it('counts the mapped groups in words', () => {
    const [one] = settingsWarnings(defaults, { ...ready, roleMappings: 1 });
    expect(one!.message).toMatch(/^1 Entra group is mapped/);
    const [three] = settingsWarnings(defaults, { ...ready, roleMappings: 3 });
    expect(three!.message).toMatch(/^3 Entra groups are mapped/);
  });
});
