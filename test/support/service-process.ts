/**
 * The whole service as a process of its own, so that a test can kill it (SIGKILL) in the middle of
 * a run, as a crash or an OOM kill would. Configured by the environment like main.ts; prints one
 * JSON line with its URL once it listens.
 */
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.js';
import { startService } from '../../src/service.js';

const config = loadConfig(process.env);
const service = await startService(config, pino({ level: config.LOG_LEVEL }));
process.stdout.write(`${JSON.stringify({ url: service.url })}\n`);
