import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * The embedded default database: PGlite (PostgreSQL compiled to WASM) served over loopback TCP, so
 * the ORM, the job store and raw SQL all use the ordinary `pg` driver and one code path
 * (docs/embedded-db.md). All connections share one backend session and transactions are
 * serialized, so nothing here may rely on per-connection session state.
 */
export interface EmbeddedPostgres {
  url: string;
  close(): Promise<void>;
}

/** `dataDir` null = in memory (tests); otherwise persisted, and locked against a second process. */
export async function startEmbeddedPostgres(dataDir: string | null, maxConnections = 40): Promise<EmbeddedPostgres> {
  const releaseLock = dataDir ? lockDataDir(dataDir) : () => {};
  try {
    const db = await PGlite.create(dataDir ? join(dataDir, 'pglite') : 'memory://');
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
    await server.start();
    const address = server.getServerConn();
    return {
      url: `postgresql://postgres@${address}/postgres`,
      async close() {
        await server.stop();
        await db.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/** PGlite must never be opened by two processes at once: a pid file says who owns the directory. */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = join(dataDir, 'pglite.pid');
  try {
    const fd = openSync(lockFile, 'wx');
    writeFileSync(fd, String(process.pid));
    closeSync(fd);
  } catch {
    const owner = Number(readFileSync(lockFile, 'utf8'));
    if (owner && owner !== process.pid && isAlive(owner)) {
      throw new Error(`The embedded database in ${dataDir} is in use by process ${owner}; set DATABASE_URL to share a PostgreSQL server`);
    }
    writeFileSync(lockFile, String(process.pid));
  }
  return () => rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
