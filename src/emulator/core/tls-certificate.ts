import { generate } from 'selfsigned';

export interface TlsMaterial {
  certPem: string;
  keyPem: string;
}

/**
 * Cached on globalThis rather than in module scope: test runners load modules once per test file but
 * share the process, and a process that already trusts one emulator certificate (TLS contexts and
 * pooled connections keep the trust list they started with) must not be handed a second one.
 */
const CACHE_KEY = Symbol.for('entra-hr-connector.emulator.tls-certificate');
const holder = globalThis as { [CACHE_KEY]?: Promise<TlsMaterial> };

/**
 * A self-signed certificate for 127.0.0.1 and localhost that callers trust directly
 * (NODE_EXTRA_CA_CERTS or tls.setDefaultCACertificates, graph-facts §1.4a). EC keys keep generation
 * fast; one certificate per process is enough since every emulator listens on loopback.
 */
export function selfSignedCertificate(): Promise<TlsMaterial> {
  holder[CACHE_KEY] ??= generate([{ name: 'commonName', value: 'Entra HR Connector Graph Emulator' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 86_400_000),
    notAfterDate: new Date(Date.now() + 5 * 365 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  }).then((pems) => ({ certPem: pems.cert, keyPem: pems.private }));
  return holder[CACHE_KEY];
}
