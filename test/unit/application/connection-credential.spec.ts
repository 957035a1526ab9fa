import { describe, expect, it } from '@jest/globals';
import {
  featuresFromSettings,
  openCredential,
  sealCredential,
  secretExpiryWarning,
  type CredentialSealer,
} from '../../../src/application/connection-credential.js';

/** A reversible stand-in for the AES box: enough to show what goes in and what comes out. */
const box: CredentialSealer = {
  seal: (plain) => `sealed:${Buffer.from(plain).toString('base64url')}`,
  open: (sealed) => {
    if (!sealed.startsWith('sealed:')) throw new Error(`bad box input ${sealed}`);
    return Buffer.from(sealed.slice(7), 'base64url').toString();
  },
};

describe('stored credential', () => {
  it('round-trips a secret with the authority and Graph hosts inside the sealed text', () => {
    const stored = {
      credential: { kind: 'secret' as const, clientSecret: 's3cr3t~value' },
      authorityHost: 'https://login.microsoftonline.us',
      graphBaseUrl: 'https://graph.microsoft.us',
    };
    const sealed = sealCredential(box, stored);
    expect(sealed).not.toContain('s3cr3t~value');
    expect(openCredential(box, sealed)).toEqual(stored);
  });

  it('round-trips a certificate and leaves absent hosts absent', () => {
    const credential = {
      kind: 'certificate' as const,
      privateKeyPem: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----',
      thumbprintSha256: 'ab'.repeat(32),
    };
    expect(openCredential(box, sealCredential(box, { credential }))).toEqual({ credential });
  });

  it('says the credential cannot be opened without quoting the sealed text', () => {
    expect(() => openCredential(box, 'garbage-with-secret-inside')).toThrow(/cannot be opened/);
    expect(() => openCredential(box, 'garbage-with-secret-inside')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret-inside') }),
    );
  });

  it.each([
    ['not JSON', box.seal('nope')],
    ['no credential', box.seal('{"v":1}')],
    ['secret without value', box.seal('{"credential":{"kind":"secret"}}')],
    ['unknown kind', box.seal('{"credential":{"kind":"password","clientSecret":"x"}}')],
  ])('refuses %s', (_name, sealed) => {
    expect(() => openCredential(box, sealed)).toThrow(/Entra credential/);
  });
});

describe('secret expiry warning (rule 1.3)', () => {
  const now = new Date('2026-11-23T14:00:00Z');
  it.each([
    [null, null],
    ['2027-06-01', null],
    ['2026-12-24', null],
    ['2026-12-23', 'The client secret expires on 2026-12-23, in 30 days. Create a new secret before then.'],
    ['2026-12-03', 'The client secret expires on 2026-12-03, in 10 days. Create a new secret before then.'],
    ['2026-11-24', 'The client secret expires on 2026-11-24, in 1 day. Create a new secret before then.'],
    ['2026-11-23', 'The client secret expired on 2026-11-23. Create a new secret and enter it here.'],
    ['2025-01-01', 'The client secret expired on 2025-01-01. Create a new secret and enter it here.'],
  ])('expiring %s: %s', (expiresAt, warning) => {
    expect(secretExpiryWarning(expiresAt, now)).toBe(warning);
  });
});

describe('features that need more permissions', () => {
  const off = { writeBackUpdate: false, writeBackCreate: false, writeBackDelete: false, calendarSync: false };
  it.each([
    [off, { writeBack: false, createUsers: false, calendars: false }],
    [
      { ...off, writeBackUpdate: true },
      { writeBack: true, createUsers: false, calendars: false },
    ],
    [
      { ...off, writeBackCreate: true },
      { writeBack: true, createUsers: true, calendars: false },
    ],
    [
      { ...off, writeBackDelete: true },
      { writeBack: true, createUsers: false, calendars: false },
    ],
    [
      { ...off, calendarSync: true },
      { writeBack: false, createUsers: false, calendars: true },
    ],
  ])('%j → %j', (settings, features) => {
    expect(featuresFromSettings(settings)).toEqual(features);
  });
});
