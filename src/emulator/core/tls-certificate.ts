import tls from 'node:tls';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  certPem: string;
  keyPem: string;
}

/**
 * One certificate per process, cached on the node:tls module object. Not module scope and not
 * globalThis: Jest gives each test file its own module registry and its own global, but core modules
 * are shared by the whole worker process. Observed on Node 24.21: once a process has made TLS
 * connections, a further tls.setDefaultCACertificates call lists the new certificate but new
 * connections still refuse it, so every emulator in a process must present the same one.
 */
const CACHE_KEY = Symbol.for('entra-hr-connector.emulator.tls-certificate');
const holder = tls as unknown as { [CACHE_KEY]?: Promise<TlsMaterial> };

/**
 * A self-signed certificate for 127.0.0.1 and localhost that callers trust directly (NODE_EXTRA_CA_CERTS or
 * tls.setDefaultCACertificates, https://nodejs.org/api/tls.html). EC keys keep generation fast; one
 * certificate per process is enough since every emulator listens on loopback.
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
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  }).then((pems) => ({ certPem: pems.cert, keyPem: pems.private }));
  return holder[CACHE_KEY];
}
