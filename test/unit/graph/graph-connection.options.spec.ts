import { describe, expect, it } from '@jest/globals';
import {
  hostsNotAllowed,
  resolveGraphConnectionOptions,
} from '../../../src/gateways/graph/graph-connection.options.js';

const base = {
  tenantId: 'contoso',
  clientId: 'app',
  credential: { kind: 'secret' as const, clientSecret: 's3cr3t-value' },
};

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
      concurrency: 16,
    });
  });

  it.each([
    ['https://graph.microsoft.us', 'https://login.microsoftonline.us', 'https://graph.microsoft.us/.default'],
    ['https://dod-graph.microsoft.us', 'https://login.microsoftonline.us', 'https://dod-graph.microsoft.us/.default'],
    [
      'https://microsoftgraph.chinacloudapi.cn',
      'https://login.chinacloudapi.cn',
      'https://microsoftgraph.chinacloudapi.cn/.default',
    ],
    // A stand-in (the emulator, a proxy) issues tokens for Graph's global resource.
    ['https://127.0.0.1:8443', 'https://127.0.0.1:8443', 'https://graph.microsoft.com/.default'],
  ])('asks a token for the Graph resource of the cloud at %s', (graphBaseUrl, authorityHost, scope) => {
    expect(resolveGraphConnectionOptions({ ...base, graphBaseUrl, authorityHost }).scope).toBe(scope);
  });

  it('lists another authority as host:port and another Graph host by hostname only (docs/graph.md §1.4a)', () => {
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
    expect(
      attempt({ credential: { kind: 'certificate', thumbprintSha256: 'xyz', privateKeyPem: 'secret-key' } }),
    ).toThrow(/credential\.thumbprintSha256/);
    expect(attempt({ credential: { kind: 'secret', clientSecret: '' } })).toThrow(/credential\.clientSecret/);
    // The refusal names the field, never the secret beside it.
    expect(() =>
      resolveGraphConnectionOptions({
        ...base,
        tenantId: '',
        credential: { kind: 'secret', clientSecret: 's3cr3t-value' },
      }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cr3t') }));
  });
});

describe('hostsNotAllowed: where a connection set through the API may send its secret', () => {
  const hosts = (authorityHost: string, graphBaseUrl: string) => ({ authorityHost, graphBaseUrl });

  it.each([
    ['the global service', 'https://login.microsoftonline.com', 'https://graph.microsoft.com'],
    ['US Government L4', 'https://login.microsoftonline.us', 'https://graph.microsoft.us'],
    ['US Government L5 (DoD)', 'https://login.microsoftonline.us', 'https://dod-graph.microsoft.us'],
    ['21Vianet China', 'https://login.chinacloudapi.cn', 'https://microsoftgraph.chinacloudapi.cn'],
    ['with a trailing slash', 'https://login.microsoftonline.com/', 'https://graph.microsoft.com/'],
  ])('allows %s', (_cloud, authority, graph) => {
    expect(hostsNotAllowed(hosts(authority, graph), [])).toEqual([]);
  });

  it.each([
    ['another host', 'https://login.example.com', 'https://graph.microsoft.com', ['authorityHost']],
    [
      'a look-alike subdomain',
      'https://login.microsoftonline.com.example.net',
      'https://graph.microsoft.com',
      ['authorityHost'],
    ],
    [
      'a Microsoft host on another port',
      'https://login.microsoftonline.com:8443',
      'https://graph.microsoft.com',
      ['authorityHost'],
    ],
    [
      'a Microsoft host with a path',
      'https://login.microsoftonline.com/evil',
      'https://graph.microsoft.com',
      ['authorityHost'],
    ],
    [
      'credentials in the URL',
      'https://user:pw@login.microsoftonline.com',
      'https://graph.microsoft.com',
      ['authorityHost'],
    ],
    ['plain http', 'http://login.microsoftonline.com', 'http://graph.microsoft.com', ['authorityHost', 'graphBaseUrl']],
    [
      'a Graph host as authority and the reverse',
      'https://graph.microsoft.com',
      'https://login.microsoftonline.com',
      ['authorityHost', 'graphBaseUrl'],
    ],
    [
      'a retired cloud (Germany)',
      'https://login.microsoftonline.de',
      'https://graph.microsoft.de',
      ['authorityHost', 'graphBaseUrl'],
    ],
    ['not a URL', 'login.microsoftonline.com', 'https://graph.microsoft.com', ['authorityHost']],
  ])('refuses %s', (_what, authority, graph, refused) => {
    expect(hostsNotAllowed(hosts(authority, graph), [])).toEqual(refused);
  });

  it('allows exactly the hosts the configuration names (same origin and path), nothing near them', () => {
    const trusted = ['https://127.0.0.1:8443', 'https://proxy.contoso.com/graph'];
    expect(hostsNotAllowed(hosts('https://127.0.0.1:8443/', 'https://proxy.contoso.com/graph'), trusted)).toEqual([]);
    expect(hostsNotAllowed(hosts('https://127.0.0.1:8444', 'https://proxy.contoso.com'), trusted)).toEqual([
      'authorityHost',
      'graphBaseUrl',
    ]);
    expect(hostsNotAllowed(hosts('http://127.0.0.1:8443', 'https://proxy.contoso.com/graph/v1.0'), trusted)).toEqual([
      'authorityHost',
      'graphBaseUrl',
    ]);
  });
});
