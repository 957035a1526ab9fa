import { describe, expect, it } from '@jest/globals';
import { ConfigError, durationMs, isDemoMode, loadConfig } from '../../../src/config/config.js';

describe('configuration', () => {
  it('uses config/defaults.json under the environment', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.JOB_POLL_INTERVAL).toBe('2 seconds');
    expect(config.DATABASE_URL).toBeUndefined();
    // Every run has a time limit and a bound on its total wait for throttling.
    expect(durationMs(config.SYNC_RUN_TIME_LIMIT)).toBe(3_600_000);
    expect(durationMs(config.SYNC_RUN_THROTTLE_WAIT_LIMIT)).toBe(300_000);
    expect(loadConfig({ PORT: '8080' }).PORT).toBe(8080);
  });

  it.each([
    ['PORT', 'eighty', /^Invalid configuration: PORT expects/],
    ['PORT', '70000', /^Invalid configuration: PORT /],
    [
      'DATABASE_URL',
      'mysql://x',
      /^Invalid configuration: DATABASE_URL expects a URL starting with postgres:\/\/ or postgresql:\/\//,
    ],
    ['JOB_POLL_INTERVAL', 'often', /^Invalid configuration: JOB_POLL_INTERVAL expects a duration such as "30 minutes"/],
    ['LOG_LEVEL', 'loud', /^Invalid configuration: LOG_LEVEL expects one of: fatal, error/],
    ['ENCRYPTION_KEY', 'short', /^Invalid configuration: ENCRYPTION_KEY expects 64 hexadecimal characters/],
    ['ADMIN_TOKEN', 'tiny', /^Invalid configuration: ADMIN_TOKEN expects at least 24 characters/],
    ['METRICS_TOKEN', 'tiny', /^Invalid configuration: METRICS_TOKEN expects at least 24 characters/],
    [
      'METRICS_TOKEN',
      'a metrics token with spaces in it',
      /^Invalid configuration: METRICS_TOKEN expects letters, digits/,
    ],
    // A bearer token carries no spaces (RFC 6750 section 2.1): authentication could never match these.
    [
      'ADMIN_TOKEN',
      'correct horse battery staple',
      /^Invalid configuration: ADMIN_TOKEN expects only letters, digits and - \. _ ~ \+ \/ .*no spaces$/,
    ],
    ['ADMIN_TOKEN', 'token-with-a-tab\tin-the-middle-0123', /^Invalid configuration: ADMIN_TOKEN expects only letters/],
    ['ADMIN_TOKEN', 'padding=in-the-middle-0123456789', /^Invalid configuration: ADMIN_TOKEN expects only letters/],
    ['ADMIN_TOKEN', 'x'.repeat(257), /^Invalid configuration: ADMIN_TOKEN expects at most 256 characters/],
    [
      'SYNC_RUN_TIME_LIMIT',
      'forever',
      /^Invalid configuration: SYNC_RUN_TIME_LIMIT expects a duration such as "30 minutes"/,
    ],
    [
      'SYNC_RUN_TIME_LIMIT',
      '0 minutes',
      /^Invalid configuration: SYNC_RUN_TIME_LIMIT expects a duration longer than zero/,
    ],
    ['SYNC_RUN_THROTTLE_WAIT_LIMIT', '5', /^Invalid configuration: SYNC_RUN_THROTTLE_WAIT_LIMIT expects a duration/],
  ])('refuses %s=%s with one line naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('takes an ADMIN_TOKEN in the RFC 6750 token syntax', () => {
    expect(loadConfig({ ADMIN_TOKEN: 'ehc_AZaz09-._~+/0123456789==' }).ADMIN_TOKEN).toBe(
      'ehc_AZaz09-._~+/0123456789==',
    );
  });

  it('never echoes the rejected value (it may be a secret)', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'sekrit' })).toThrow(ConfigError);
    expect(() => loadConfig({ ADMIN_TOKEN: 'sekrit' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('sekrit') }),
    );
  });

  it('asks for the tenant and client id with a client secret', () => {
    expect(() => loadConfig({ ENTRA_CLIENT_SECRET: 's3cr3t' })).toThrow(
      /ENTRA_TENANT_ID and ENTRA_CLIENT_ID are required/,
    );
  });

  it('runs the demo tenant when no Entra credentials are configured', () => {
    expect(isDemoMode(loadConfig({}))).toBe(true);
    expect(isDemoMode(loadConfig({ ENTRA_TENANT_ID: 't', ENTRA_CLIENT_ID: 'c' }))).toBe(false);
    expect(isDemoMode(loadConfig({ DEMO_MODE: 'off' }))).toBe(false);
  });

  it('reads durations', () => {
    expect(durationMs('30 minutes')).toBe(1_800_000);
    expect(durationMs('1 day')).toBe(86_400_000);
  });
});
