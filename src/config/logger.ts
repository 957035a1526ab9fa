import { pino, type Logger } from 'pino';
import type { AppConfig } from './config.js';

/**
 * The service's logger. Paths that may hold a credential are redacted wherever they appear, as a
 * second line of defence: code must not log secrets in the first place.
 */
export function createLogger(config: Pick<AppConfig, 'LOG_LEVEL'>): Logger {
  return pino({
    level: config.LOG_LEVEL,
    redact: {
      paths: [
        '*.clientSecret',
        '*.client_secret',
        '*.secret',
        '*.password',
        '*.token',
        '*.accessToken',
        '*.privateKeyPem',
        'headers.authorization',
      ],
      censor: '[redacted]',
    },
  });
}
