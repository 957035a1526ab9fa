import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync } from 'node:fs';
import { StartupError } from './data-dir-lock.js';

/** The system account the embedded server runs as, when it cannot be the service's own. */
export interface ServerAccount {
  uid: number;
  gid: number;
}

const ACCOUNT = 'postgres';

/**
 * PostgreSQL refuses to run as root (https://www.postgresql.org/docs/current/server-start.html).
 * A service started as root therefore runs its embedded server as the `postgres` system account,
 * creating it when the machine has none; any other user runs the server as itself (null).
 */
export function serverAccount(): ServerAccount | null {
  if (process.getuid?.() !== 0) return null;
  const existing = lookUp();
  if (existing) return existing;
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', ACCOUNT], {
      stdio: 'ignore',
    });
  } catch {
    throw new StartupError(
      `The embedded database cannot run as root and the system account "${ACCOUNT}" could not be created; create it, run the service as another user, or set DATABASE_URL`,
    );
  }
  return lookUp()!;
}

function lookUp(): ServerAccount | null {
  try {
    const uid = Number(execFileSync('id', ['-u', ACCOUNT], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', ACCOUNT], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/**
 * The data directory holds the admin token, the encryption key and the database: readable by the
 * service's user only (0700). Run as root, the server's account needs to pass through it to reach
 * its own directory, so its group may traverse (0710) and list nothing.
 */
export function secureDataDir(dataDir: string, account: ServerAccount | null): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (!account) {
    chmodSync(dataDir, 0o700);
    return;
  }
  chownSync(dataDir, 0, account.gid);
  chmodSync(dataDir, 0o710);
  const reachable = spawnSync('test', ['-x', dataDir], { uid: account.uid, gid: account.gid }).status === 0;
  if (!reachable) {
    throw new StartupError(
      `The embedded database runs as the system account "${ACCOUNT}" when the service runs as root, and that account cannot reach ${dataDir} (a parent directory is closed to it): set DATA_DIR to a directory it can reach, run the service as another user, or set DATABASE_URL`,
    );
  }
}

/** A directory for the server alone: its account owns it, nobody else may read it. */
export function serverOwnedDir(path: string, account: ServerAccount | null): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  if (account) chownSync(path, account.uid, account.gid);
  chmodSync(path, 0o700);
}
