import type { EmulatorContext } from '../emulator-context.js';
import { badRequest, graphError, invalidValue } from '../http/graph-errors.js';
import type { GraphResponse } from '../http/graph-types.js';
import type { Result } from '../odata/query-options.js';
import type { Props, UserRecord } from '../store/store-types.js';
import {
  canonicalUserProperty,
  EXTENSION_ATTRIBUTE_KEYS,
  isDirectoryExtension,
  MAX_LENGTHS,
  READ_ONLY_USER_PROPERTIES,
  WRITABLE_USER_PROPERTIES,
} from '../store/user-schema.js';

/** Required on POST /users (https://learn.microsoft.com/graph/api/user-post-users). */
const REQUIRED_ON_CREATE = ['accountEnabled', 'displayName', 'mailNickname', 'passwordProfile', 'userPrincipalName'];
const UPN = /^[A-Za-z0-9'.\-_!#^~]+@([A-Za-z0-9-]+\.)+[A-Za-z0-9-]+$/;
const DATE_PROPS = new Set(['employeeHireDate', 'employeeLeaveDateTime']);
const BOOL_PROPS = new Set(['accountEnabled', 'showInAddressList']);
const STRING_ARRAY_PROPS = new Set(['businessPhones', 'otherMails', 'imAddresses']);

const fail = (response: GraphResponse): Result<Props> => ({ ok: false, response });

/**
 * Validates a POST or PATCH body and returns the properties to store
 * (https://learn.microsoft.com/graph/api/user-post-users, https://learn.microsoft.com/graph/api/user-update).
 * `passwordProfile` is checked and dropped: the emulator never stores passwords.
 */
export function validateUserBody(
  ctx: EmulatorContext,
  body: Record<string, unknown>,
  existing?: UserRecord,
): Result<Props> {
  const props: Props = {};
  for (const [rawKey, value] of Object.entries(body)) {
    if (rawKey.startsWith('@odata.')) continue;
    const key = canonicalUserProperty(rawKey);
    if (key === undefined)
      return fail(badRequest(`Property '${rawKey}' does not exist on type 'microsoft.graph.user'.`));
    if (READ_ONLY_USER_PROPERTIES.has(key))
      return fail(badRequest(`Property '${key}' is read-only and cannot be set.`));
    if (!WRITABLE_USER_PROPERTIES.has(key) && !isDirectoryExtension(key))
      return fail(badRequest(`Property '${key}' is read-only and cannot be set.`));
    const problem = valueProblem(key, value, existing);
    if (problem) return fail(problem);
    props[key] = key === 'onPremisesExtensionAttributes' ? mergeExtensionAttributes(existing?.p[key], value) : value;
  }
  if (!existing) {
    for (const key of REQUIRED_ON_CREATE) {
      const value = props[key];
      if (value === undefined || value === null || value === '') {
        return fail(badRequest(`Property ${key} value is required but is empty or missing.`));
      }
    }
  }
  if (typeof props['userPrincipalName'] === 'string') {
    const refused = checkUpn(ctx, props['userPrincipalName'], existing);
    if (refused) return fail(refused);
  }
  delete props['passwordProfile'];
  return { ok: true, value: props };
}

function valueProblem(key: string, value: unknown, existing: UserRecord | undefined): GraphResponse | undefined {
  if (value === null) {
    return key === 'displayName' || key === 'accountEnabled' || key === 'userPrincipalName' || key === 'mailNickname'
      ? invalidValue(key)
      : undefined;
  }
  if (BOOL_PROPS.has(key)) return typeof value === 'boolean' ? undefined : invalidValue(key);
  if (STRING_ARRAY_PROPS.has(key)) {
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return invalidValue(key);
    // Only one business phone number can be set (https://learn.microsoft.com/graph/api/resources/user).
    return key === 'businessPhones' && value.length > 1 ? invalidValue(key) : undefined;
  }
  if (key === 'passwordProfile') return passwordProblem(value);
  if (key === 'onPremisesExtensionAttributes') {
    if (typeof value !== 'object' || Array.isArray(value)) return invalidValue(key);
    const bad = Object.entries(value as Record<string, unknown>).find(
      ([k, v]) => !EXTENSION_ATTRIBUTE_KEYS.includes(k) || (v !== null && (typeof v !== 'string' || v.length > 1024)),
    );
    return bad ? invalidValue(key) : undefined;
  }
  if (typeof value === 'object' || isDirectoryExtension(key)) return undefined;
  if (typeof value !== 'string') return invalidValue(key);
  if (key === 'displayName' && value.trim() === '' && existing) return invalidValue(key);
  const max = MAX_LENGTHS[key];
  if (max !== undefined && value.length > max) return invalidValue(key);
  if (DATE_PROPS.has(key) && Number.isNaN(Date.parse(value))) return invalidValue(key);
  if (key === 'usageLocation' && !/^[A-Z]{2}$/.test(value)) return invalidValue(key);
  // Graph refuses accented characters in mail (https://learn.microsoft.com/graph/api/resources/user).
  if (key === 'mail' && value !== '' && !/^[\x21-\x7e]+@[\x21-\x7e]+$/.test(value)) return invalidValue(key);
  if (key === 'mailNickname' && /[\s@()<>[\]";:\\,]/.test(value)) return invalidValue(key);
  if (key === 'onPremisesImmutableId' && /[$_]/.test(value)) return invalidValue(key);
  return undefined;
}

function passwordProblem(value: unknown): GraphResponse | undefined {
  if (typeof value !== 'object' || value === null) return invalidValue('passwordProfile');
  const password = (value as Record<string, unknown>)['password'];
  if (typeof password !== 'string' || password === '')
    return badRequest('Property passwordProfile value is required but is empty or missing.');
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (password.length < 8 || classes < 3) {
    return badRequest(
      'The specified password does not comply with password complexity requirements. Please provide a different password.',
    );
  }
  return undefined;
}

function checkUpn(ctx: EmulatorContext, upn: string, existing: UserRecord | undefined): GraphResponse | undefined {
  if (!UPN.test(upn)) return badRequest('Property userPrincipalName is invalid.');
  const domain = upn.slice(upn.lastIndexOf('@') + 1).toLowerCase();
  if (!ctx.domains.includes(domain)) {
    return badRequest(
      'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.',
    );
  }
  const same = existing && String(existing.p['userPrincipalName']).toLowerCase() === upn.toLowerCase();
  if (!same && ctx.store.upnTaken(upn)) {
    return graphError(
      400,
      'Request_BadRequest',
      'Another object with the same value for property userPrincipalName already exists.',
      [{ target: 'userPrincipalName', code: 'ObjectConflict' }],
    );
  }
  return undefined;
}

/**
 * PATCH merges extension attributes key by key (the emulator merges;
 * https://learn.microsoft.com/graph/api/resources/user, onPremisesExtensionAttributes).
 */
function mergeExtensionAttributes(current: unknown, patch: unknown): Record<string, unknown> {
  const merged = { ...((current ?? {}) as Record<string, unknown>), ...(patch as Record<string, unknown>) };
  for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
  return merged;
}
