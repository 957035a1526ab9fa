/**
 * The whole service as a process of its own, so that a test can kill it (SIGKILL) in the middle of
 * a run, as a crash or an OOM kill would, or stop it with SIGTERM as an orchestrator does. Configured by the environment like main.ts; prints one
 * JSON line with its URL once it listens.
 */
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.js';
import { stopOnSignals } from '../../src/process-signals.js';
import { startService } from '../../src/service.js';

const config = loadConfig(process.env);
const logger = pino({ level: config.LOG_LEVEL });
const service = await startService(config, logger);
stopOnSignals(service, logger, config.SHUTDOWN_TIMEOUT_MS);
process.stdout.write(`${JSON.stringify({ url: service.url })}\n`);
