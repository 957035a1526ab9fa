import { ConfigError, loadConfig } from './config/config.js';
import { createLogger } from './config/logger.js';
import { StartupError } from './gateways/db/data-dir-lock.js';
import { stopOnSignals } from './process-signals.js';
import { startService } from './service.js';

// The process entry point: read configuration, start, and stop cleanly on SIGTERM/SIGINT.
let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78); // EX_CONFIG
  }
  throw error;
}
const logger = createLogger(config);
const starting = startService(config, logger);
stopOnSignals(starting, logger, config.SHUTDOWN_TIMEOUT_MS);
try {
  await starting;
} catch (error) {
  // A known reason not to start (the data directory in use, no embedded server for this machine) is one line.
  if (error instanceof StartupError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
