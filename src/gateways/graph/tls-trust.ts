import tls from 'node:tls';

const trusted = new Set<string>();

/**
 * Adds a certificate authority to the ones every TLS connection of this process trusts (Node 24's
 * tls.setDefaultCACertificates), keeping the system's. Used for a private authority in front of
 * Graph, and for the emulator's self-signed certificate; TLS checks stay on.
 */
export function trustCertificateAuthority(pem: string): void {
  if (trusted.has(pem)) return;
  trusted.add(pem);
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), ...trusted]);
}
