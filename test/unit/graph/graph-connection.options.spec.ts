import { describe, expect, it } from '@jest/globals';
import { resolveGraphConnectionOptions } from '../../../src/gateways/graph/graph-connection.options.js';

const base = { tenantId: 'contoso', clientId: 'app', credential: { kind: 'secret' as const, clientSecret: 's3cr3t-value' } };

describe('resolveGraphConnectionOptions', () => {
  it('defaults to Microsoft hosts, which need neither knownAuthorities nor customHosts', () => {
    const resolved = resolveGraphConnectionOptions(base);
    expect(resolved).toMatchObject({
      authority: 'https://login.microsoftonline.com/contoso',
      graphBaseUrl: 'https://graph.microsoft.com',
      scope: 'https://graph.microsoft.com/.default',
      knownAuthorities: [],
      customHosts: undefined,
      maxRetries: 5,
      maxTotalRetryWaitMs: 120_000,
      concurrency: 4,
    });
  });

  it('lists another authority as host:port and another Graph host by hostname only (graph-facts §1.4a)', () => {
    const resolved = resolveGraphConnectionOptions({
      ...base,
      authorityHost: 'https://127.0.0.1:8443/',
      graphBaseUrl: 'https://127.0.0.1:8443',
    });
    expect(resolved.authority).toBe('https://127.0.0.1:8443/contoso');
    expect(resolved.knownAuthorities).toEqual(['127.0.0.1:8443']);
    expect(resolved.customHosts).toEqual(new Set(['127.0.0.1']));
  });

  it('refuses http, a versioned Graph URL and a malformed thumbprint, naming fields but never values', () => {
    const attempt = (extra: object) => () => resolveGraphConnectionOptions({ ...base, ...extra });
    expect(attempt({ authorityHost: 'http://login.example' })).toThrow(/authorityHost/);
    expect(attempt({ graphBaseUrl: 'https://graph.microsoft.com/v1.0' })).toThrow(/graphBaseUrl/);
    expect(attempt({ credential: { kind: 'certificate', thumbprintSha256: 'xyz', privateKeyPem: 'secret-key' } })).toThrow(
      /credential\.thumbprintSha256/,
    );
    expect(attempt({ credential: { kind: 'secret', clientSecret: '' } })).toThrow(/credential\.clientSecret/);
    try {
      resolveGraphConnectionOptions({ ...base, tenantId: '', credential: { kind: 'secret', clientSecret: 's3cr3t-value' } });
    } catch (error) {
      expect(String(error)).not.toContain('s3cr3t');
    }
  });
});
