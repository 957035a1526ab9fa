// Loaded with `node --import` after tsx: records the URL of every module the process loads, one a
// line, in the file RECORD_LOADED_MODULES names. The load hook sees ES modules and the TypeScript
// files tsx compiles alike (https://nodejs.org/api/module.html#synchronous-hooks-accepted-by-moduleregisterhooks),
// which `process.moduleLoadList` does not.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const file = process.env.RECORD_LOADED_MODULES;
if (!file) throw new Error('RECORD_LOADED_MODULES names no file');
registerHooks({
  load(url, context, nextLoad) {
    appendFileSync(file, `${url}\n`);
    return nextLoad(url, context);
  },
});
