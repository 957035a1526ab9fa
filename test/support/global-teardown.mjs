// Stops the embedded PostgreSQL that global-setup.mjs started when no server was reachable.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export default async function globalTeardown() {
  const dataDir = process.env.EHC_TEST_EMBEDDED_DIR;
  if (!dataDir) return;
  const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
  if (pid) {
    try {
      process.kill(pid, 'SIGINT'); // fast shutdown
      for (let i = 0; i < 200 && alive(pid); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    } catch {
      // already gone
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
