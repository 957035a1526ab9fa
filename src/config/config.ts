import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BEARER_TOKEN_MAX_LENGTH, isBearerToken } from '../domain/bearer-token.js';

/**
 * The one typed, validated configuration. Environment variables win over config/defaults.json;
 * nothing else in the code base reads process.env.
 */
const duration = z
  .string()
  .regex(/^\d+ (second|minute|hour|day|week)s?$/, 'a duration such as "30 minutes" or "1 day"');
const positiveDuration = duration.refine((v) => !/^0+ /.test(v), 'a duration longer than zero, such as "1 hour"');
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .refine(
      (v) => protocols.some((p) => v.startsWith(`${p}://`)),
      `a URL starting with ${protocols.join(':// or ')}://`,
    )
    .optional();
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1),
  PORT: z.coerce.number().int('an integer port').min(0).max(65535),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  DATA_DIR: z.string().min(1),
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100),
  MONGODB_URL: optionalUrl(['mongodb', 'mongodb+srv']),
  JOB_POLL_INTERVAL: duration,
  ENCRYPTION_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, '64 hexadecimal characters (a 256-bit key)')
    .optional(),
  ADMIN_TOKEN: z
    .string()
    .min(24, 'at least 24 characters')
    .max(BEARER_TOKEN_MAX_LENGTH, `at most ${BEARER_TOKEN_MAX_LENGTH} characters`)
    .refine(
      isBearerToken,
      'only letters, digits and - . _ ~ + / (then = padding), as a bearer token carries them (RFC 6750 section 2.1); no spaces',
    )
    .optional(),
  ENTRA_TENANT_ID: z.string().min(1).optional(),
  ENTRA_CLIENT_ID: z.string().min(1).optional(),
  ENTRA_CLIENT_SECRET: z.string().min(1).optional(),
  ENTRA_CLIENT_SECRET_EXPIRES_AT: z.iso.date('a date YYYY-MM-DD').optional(),
  GRAPH_AUTHORITY_HOST: optionalUrl(['https']).unwrap(),
  GRAPH_BASE_URL: optionalUrl(['https']).unwrap(),
  GRAPH_CA_CERT_FILE: z.string().min(1).optional(),
  DEMO_MODE: z.enum(['auto', 'on', 'off']).default('auto'),
  DEMO_USERS: z.coerce.number().int().min(1).max(100000),
  DEMO_EMULATOR_PORT: z.coerce.number().int('an integer port').min(0).max(65535),
  SMTP_URL: optionalUrl(['smtp', 'smtps']),
  NOTIFY_EMAIL_FROM: z.email('an e-mail address').optional(),
  REQUEST_BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/, 'a size such as "1mb" or "500kb"'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1),
  SCIM_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0),
  SYNC_RUN_TIME_LIMIT: positiveDuration,
  SYNC_RUN_THROTTLE_WAIT_LIMIT: duration,
  CALENDAR_POLL_INTERVAL: positiveDuration,
  INVITATION_SEND_INTERVAL: positiveDuration,
  CALENDAR_NOTIFICATIONS: bool,
  CALENDAR_NOTIFIED_POLL_INTERVAL: positiveDuration,
  TRUST_PROXY: bool.optional(),
  WEB_APP_DIR: z.string().min(1),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'an http:// or https:// URL, such as https://hr.contoso.com' })
    .refine((v) => !/[?#]/.test(v), 'no query or fragment')
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  SESSION_LIFETIME: positiveDuration,
  LOCAL_SIGN_IN: bool,
  // The characters a bearer token may have (RFC 6750 section 2.1), so a token that could never match is refused at start.
  METRICS_TOKEN: z
    .string()
    .min(24, 'at least 24 characters')
    .regex(/^[A-Za-z0-9._~+/-]+=*$/, 'letters, digits and - . _ ~ + / only (a bearer token)')
    .optional(),
});

export type AppConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const defaultsFile = new URL('../../config/defaults.json', import.meta.url);

/** Builds the configuration from an environment (process.env in main.ts, a plain object in tests). */
export function loadConfig(
  env: Record<string, string | undefined>,
  defaults: Record<string, unknown> = readDefaults(),
): AppConfig {
  const merged: Record<string, unknown> = { ...defaults };
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') merged[key] = value;
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'configuration');
    // One line naming the variable and what it expects; never echo the value (it may be a secret).
    throw new ConfigError(`Invalid configuration: ${name} ${describeExpectation(issue, merged[name] === undefined)}`);
  }
  const config = parsed.data;
  if (config.ENTRA_CLIENT_SECRET && !(config.ENTRA_TENANT_ID && config.ENTRA_CLIENT_ID)) {
    throw new ConfigError(
      'Invalid configuration: ENTRA_TENANT_ID and ENTRA_CLIENT_ID are required with ENTRA_CLIENT_SECRET',
    );
  }
  return config;
}

function describeExpectation(issue: z.core.$ZodIssue, missing: boolean): string {
  if (missing) return 'is required';
  if (issue.code === 'invalid_type') return `expects ${issue.expected === 'number' ? 'a number' : issue.expected}`;
  if (issue.code === 'invalid_value') return `expects one of: ${issue.values.map(String).join(', ')}`;
  return `expects ${issue.message.replace(/^Invalid input: expected /, '')}`;
}

function readDefaults(): Record<string, unknown> {
  return JSON.parse(readFileSync(defaultsFile, 'utf8')) as Record<string, unknown>;
}

/** True when the service should run against the built-in Graph emulator and a demo tenant. */
export function isDemoMode(config: AppConfig): boolean {
  if (config.DEMO_MODE !== 'auto') return config.DEMO_MODE === 'on';
  return !(config.ENTRA_TENANT_ID && config.ENTRA_CLIENT_ID);
}

/** Agenda-style durations ("30 minutes") to milliseconds, for the few places that need a number. */
export function durationMs(text: string): number {
  const match = /^(\d+) (second|minute|hour|day|week)s?$/.exec(text);
  if (!match) throw new ConfigError(`Not a duration: ${text}`);
  const unit = { second: 1e3, minute: 6e4, hour: 36e5, day: 864e5, week: 6048e5 }[match[2] as 'second'];
  return Number(match[1]) * unit;
}
