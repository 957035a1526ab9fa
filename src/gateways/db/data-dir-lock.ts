import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Raised when the service cannot start on its data directory; main.ts prints the message alone. */
export class StartupError extends Error {
  override name = 'StartupError';
}

interface Owner {
  pid: number;
  /** The kernel's start time of that process (Linux), so a pid reused by another program is not taken for the owner. */
  started: string | null;
}

/**
 * One service process per data directory. The lock file names the owner's pid and start time; a
 * file left by a dead process (kill -9, power loss), or whose pid now belongs to another program,
 * is taken over without a manual step.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'service.lock');
  const me: Owner = { pid: process.pid, started: processStartTime(process.pid) };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return () => releaseIfMine(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(file);
    if (owner && isRunning(owner)) {
      throw new StartupError(
        `The embedded database in ${dataDir} is in use by another process of this service (pid ${owner.pid}); stop it first, or set DATABASE_URL to share a PostgreSQL server`,
      );
    }
    unlinkSync(file);
  }
  throw new StartupError(`Could not take the lock ${file}: another process keeps creating it`);
}

function releaseIfMine(file: string): void {
  if (readOwner(file)?.pid === process.pid) unlinkSync(file);
}

function readOwner(file: string): Owner | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Owner>;
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, started: parsed.started ?? null } : null;
  } catch {
    return null; // gone meanwhile, or a torn write by a process that died while writing it
  }
}

function isRunning(owner: Owner): boolean {
  if (!isAlive(owner.pid) || hasEnded(owner.pid)) return false;
  const started = processStartTime(owner.pid);
  return owner.started === null || started === null || started === owner.started;
}

/**
 * A process killed with SIGKILL stays in the process table as a zombie (state Z) until its parent
 * reaps it, and signal 0 still reaches it: a restart a moment after a kill -9 must not take it for
 * the owner. Field 3 of /proc/<pid>/stat (https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html).
 */
function hasEnded(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state === 'Z' || state === 'X';
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat (https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html); null off Linux. */
export function processStartTime(pid: number): string | null {
  return statFields(pid)?.[19] ?? null;
}

/** Fields 3 onwards of /proc/<pid>/stat; null off Linux or once the process is gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count fields after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}
