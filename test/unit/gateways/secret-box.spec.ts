import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { ENCRYPTION_KEY_FILE, loadEncryptionKey } from '../../../src/gateways/db/encryption-key.js';
import { SecretBox, SecretBoxError } from '../../../src/gateways/db/secret-box.js';

const KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const OTHER_KEY = 'ff'.repeat(32);

/** Replaces one base64 part of a sealed value with the same bytes, one bit flipped. */
function flipBit(sealed: string, part: 1 | 2 | 3): string {
  const parts = sealed.split(':');
  const bytes = Buffer.from(parts[part]!, 'base64');
  bytes[0] = bytes[0]! ^ 1;
  parts[part] = bytes.toString('base64');
  return parts.join(':');
}

describe('SecretBox', () => {
  const box = new SecretBox(KEY);

  it('opens what it sealed, including empty and non-ASCII text', () => {
    for (const plain of ['', 'webhook-secret', 'päßwörd ✓ 🔑', 'x'.repeat(10_000)])
      expect(box.open(box.seal(plain))).toBe(plain);
  });

  it('writes the versioned format and a fresh nonce for every value', () => {
    const a = box.seal('same');
    const b = box.seal('same');
    expect(a).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]*$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same');
  });

  it('throws when the nonce, the tag or the ciphertext was changed', () => {
    const sealed = box.seal('do not touch');
    for (const part of [1, 2, 3] as const) expect(() => box.open(flipBit(sealed, part))).toThrow(SecretBoxError);
  });

  it('throws for a value sealed with another key, without echoing the value', () => {
    const sealed = new SecretBox(OTHER_KEY).seal('elsewhere');
    expect(() => box.open(sealed)).toThrow(/sealed with another key/);
  });

  it('throws for unknown formats and versions', () => {
    for (const bad of [
      '',
      'plain text',
      'v2:a:b:c',
      'v1:a:b',
      `v1:${Buffer.alloc(8).toString('base64')}:${Buffer.alloc(16).toString('base64')}:`,
    ]) {
      expect(() => box.open(bad)).toThrow(SecretBoxError);
    }
  });

  it('refuses a key that is not 256 bits of hex', () => {
    for (const key of ['', 'abc', KEY.slice(2), `${KEY}00`, 'zz'.repeat(32)])
      expect(() => new SecretBox(key)).toThrow(RangeError);
  });
});

describe('loadEncryptionKey', () => {
  const logger = pino({ level: 'silent' });
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prefers the configured key and writes no file', () => {
    dir = mkdtempSync(join(tmpdir(), 'ehc-key-'));
    expect(loadEncryptionKey(KEY.toUpperCase(), dir, logger)).toBe(KEY);
    expect(() => statSync(join(dir, ENCRYPTION_KEY_FILE))).toThrow();
  });

  it('generates a key once into DATA_DIR with mode 0600 and reads the same key back', () => {
    dir = mkdtempSync(join(tmpdir(), 'ehc-key-'));
    const first = loadEncryptionKey(undefined, join(dir, 'nested'), logger);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    const file = join(dir, 'nested', ENCRYPTION_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadEncryptionKey(undefined, join(dir, 'nested'), logger)).toBe(first);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
  });

  it('refuses a damaged key file rather than generating a new key over it', () => {
    dir = mkdtempSync(join(tmpdir(), 'ehc-key-'));
    writeFileSync(join(dir, ENCRYPTION_KEY_FILE), 'not a key');
    expect(() => loadEncryptionKey(undefined, dir, logger)).toThrow(/does not hold a 64-hex-character key/);
  });
});
