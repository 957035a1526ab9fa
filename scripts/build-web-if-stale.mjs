// `npm start` runs this first: it builds the web app (src/web -> dist/web) when the build is missing or
// older than a file of src/web, and says nothing otherwise, so the service always serves the pages
// of the sources it runs. `npm run build` builds it unconditionally; a production image runs that.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const source = 'src/web';
const built = 'dist/web/index.html';

function newestChange(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

if (existsSync(source) && (!existsSync(built) || statSync(built).mtimeMs < newestChange(source))) {
  const vite = join('node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    // A production install without dev packages: serve what was built, if anything.
    process.exit(0);
  }
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', `${source}/vite.config.js`, '--logLevel', 'error'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  process.exit(result.status ?? 1);
}
