import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12; // the GCM nonce size NIST SP 800-38D recommends
const TAG_BYTES = 16;

/**
 * Seals short secrets (webhook secrets, Entra credentials) for storage: AES-256-GCM with a random
 * nonce per value, written as `v1:<iv b64>:<tag b64>:<ciphertext b64>`. The version prefix lets a
 * later key or algorithm rotate without guessing what an old value is. GCM's tag makes any change
 * to the stored text (or a wrong key) fail loudly in `open` instead of yielding garbage.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(keyHex: string) {
    if (!/^[0-9a-fA-F]{64}$/.test(keyHex))
      throw new RangeError('The encryption key must be 64 hexadecimal characters (256 bits)');
    this.key = Buffer.from(keyHex, 'hex');
  }

  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(
      ':',
    );
  }

  /** Throws when the value was not sealed with this key, or was changed since; the message never holds the value. */
  open(sealed: string): string {
    const parts = sealed.split(':');
    if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError('The sealed value has an unknown format');
    const [iv, tag, ciphertext] = parts.slice(1).map((part) => Buffer.from(part, 'base64')) as [Buffer, Buffer, Buffer];
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
      throw new SecretBoxError('The sealed value has an unknown format');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('The sealed value cannot be opened: it was changed, or sealed with another key');
    }
  }
}

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}
