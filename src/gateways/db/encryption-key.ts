import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';

export const ENCRYPTION_KEY_FILE = 'encryption.key';

/**
 * The key secrets are sealed with: ENCRYPTION_KEY when configured, else one generated on the
 * first start into DATA_DIR/encryption.key (mode 0600) and read back on every later start. A
 * generated key serves a single instance; instances that share a database must share the key,
 * so they need ENCRYPTION_KEY. The log names the file, never the key.
 */
export function loadEncryptionKey(configured: string | undefined, dataDir: string, logger: Logger): string {
  if (configured) return configured.toLowerCase();
  const file = join(dataDir, ENCRYPTION_KEY_FILE);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 }); // the service's user only, as every file in it
  try {
    // 'wx' fails when the file exists, so two processes starting together never overwrite a key.
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    logger.warn(
      { file },
      'no ENCRYPTION_KEY configured: generated a key into this file; back it up, and set ENCRYPTION_KEY when several instances share the database',
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    logger.info({ file }, 'no ENCRYPTION_KEY configured: using the key kept in this file');
  }
  const key = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-fA-F]{64}$/.test(key))
    throw new Error(`${file} does not hold a 64-hex-character key; restore it from backup or set ENCRYPTION_KEY`);
  return key.toLowerCase();
}
