/**
 * Reads the certificate an admin uploaded to the app registration (PEM or DER) in the browser, for
 * its thumbprints: SHA-256 is what MSAL signs the client assertion with (the x5t#S256 header,
 * https://learn.microsoft.com/entra/identity-platform/certificate-credentials); SHA-1 is what the
 * Entra admin center shows under Certificates & secrets, so the admin can check it is the same one.
 * The private key is only read as text and sent once; it is never kept on the page.
 */
export async function certificateThumbprints(file: File): Promise<{ sha256: string; sha1: string }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  const pem = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(text);
  const der = pem ? Uint8Array.from(atob(pem[1]!.replace(/\s+/g, '')), (c) => c.charCodeAt(0)) : bytes;
  // A DER certificate starts with a SEQUENCE (0x30); anything else is not a certificate.
  if (der[0] !== 0x30) throw new Error('That file is not a certificate (.cer, .crt or .pem).');
  const hex = async (algorithm: 'SHA-256' | 'SHA-1') =>
    [...new Uint8Array(await crypto.subtle.digest(algorithm, der))]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
  return { sha256: await hex('SHA-256'), sha1: (await hex('SHA-1')).toUpperCase() };
}
