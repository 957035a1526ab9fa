import type { GraphCredential, GraphFeatures } from '../gateways/graph/index.js';
import type { IntegrationSettings } from '../domain/integration-settings.js';

/** Seals and opens text at rest; implemented by the AES-256-GCM SecretBox in gateways/db. */
export interface CredentialSealer {
  seal(plain: string): string;
  open(sealed: string): string;
}

/**
 * What entra_connection.credential_encrypted holds once opened. The authority and Graph hosts
 * travel inside the sealed JSON so that sovereign clouds need no extra columns.
 */
export interface StoredCredential {
  credential: GraphCredential;
  authorityHost?: string;
  graphBaseUrl?: string;
}

export function sealCredential(box: CredentialSealer, stored: StoredCredential): string {
  return box.seal(JSON.stringify({ v: 1, ...stored }));
}

/** Throws a message without any of the sealed text when the value is not a credential we wrote. */
export function openCredential(box: CredentialSealer, sealed: string): StoredCredential {
  let value: unknown;
  try {
    value = JSON.parse(box.open(sealed));
  } catch {
    throw new Error('The stored Entra credential cannot be opened (was ENCRYPTION_KEY changed?)');
  }
  if (!isStoredCredential(value)) throw new Error('The stored Entra credential has an unknown shape');
  const { credential, authorityHost, graphBaseUrl } = value;
  return { credential, ...(authorityHost ? { authorityHost } : {}), ...(graphBaseUrl ? { graphBaseUrl } : {}) };
}

function isStoredCredential(value: unknown): value is StoredCredential {
  if (typeof value !== 'object' || value === null) return false;
  const credential = (value as { credential?: Record<string, unknown> }).credential;
  if (!credential) return false;
  if (credential['kind'] === 'secret') return typeof credential['clientSecret'] === 'string';
  return (
    credential['kind'] === 'certificate' &&
    typeof credential['privateKeyPem'] === 'string' &&
    typeof credential['thumbprintSha256'] === 'string'
  );
}

export const SECRET_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * The warning an admin sees before the client secret expires (rule 1.3): the sync fails silently
 * after, so warn 30 days ahead and keep warning once it has expired.
 */
export function secretExpiryWarning(expiresAt: string | null, now: Date): string | null {
  if (!expiresAt) return null;
  // A secret's "expires" date in the Entra portal is the day it stops working, read as UTC.
  const left = Date.parse(`${expiresAt}T00:00:00Z`) - now.getTime();
  if (left <= 0) return `The client secret expired on ${expiresAt}. Create a new secret and enter it here.`;
  const days = Math.ceil(left / DAY_MS);
  if (days > SECRET_WARNING_DAYS) return null;
  return `The client secret expires on ${expiresAt}, in ${days} day${days === 1 ? '' : 's'}. Create a new secret before then.`;
}

export type FeatureSettings = Pick<
  IntegrationSettings,
  'writeBackUpdate' | 'writeBackCreate' | 'writeBackDelete' | 'calendarSync'
>;

/** Which Graph permissions the enabled features need beyond reading (docs/graph.md §10). */
export function featuresFromSettings(settings: FeatureSettings): GraphFeatures {
  return {
    writeBack: settings.writeBackUpdate || settings.writeBackCreate || settings.writeBackDelete,
    createUsers: settings.writeBackCreate,
    calendars: settings.calendarSync,
  };
}
