/*
 * The PatchOp envelope (RFC 7644 section 3.5.2, https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2),
 * read as Entra's provisioning service sends it: `op` in any case ("Add", "Replace", "Remove"),
 * members beside op/path/value ignored (`"name": "addMember"`), at least one operation.
 */
import { badScim } from './scim-error.js';
import { isObject } from './scim-resource.js';
import { PATCH_OP_SCHEMA } from './scim-schemas.js';

export interface PatchOperation {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path?: string;
  readonly value?: unknown;
}

/** Entra sends a few operations per request; a thousand is far beyond any client's. */
export const MAX_OPERATIONS = 1000;

export function readPatchBody(body: unknown): PatchOperation[] {
  if (!isObject(body)) throw badScim('invalidSyntax', 'The body must be a JSON object: a PatchOp message');
  const schemas = member(body, 'schemas');
  if (
    !Array.isArray(schemas) ||
    !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase())
  )
    throw badScim('invalidValue', `"schemas" must list ${PATCH_OP_SCHEMA}`);
  const operations = member(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0)
    throw badScim('invalidSyntax', '"Operations" must be a non-empty array of operations');
  if (operations.length > MAX_OPERATIONS)
    throw badScim('invalidSyntax', `At most ${MAX_OPERATIONS} operations per request`);
  return operations.map((operation, index) => readOperation(operation, index));
}

function readOperation(raw: unknown, index: number): PatchOperation {
  const where = `Operations[${index}]`;
  if (!isObject(raw)) throw badScim('invalidSyntax', `${where} must be an object with "op"`);
  const op = member(raw, 'op');
  const kind = typeof op === 'string' ? op.toLowerCase() : undefined;
  if (kind !== 'add' && kind !== 'replace' && kind !== 'remove')
    throw badScim('invalidSyntax', `${where}.op must be add, replace or remove, not ${JSON.stringify(op)}`);
  const path = member(raw, 'path');
  if (path !== undefined && path !== null && (typeof path !== 'string' || path.trim() === ''))
    throw badScim('invalidPath', `${where}.path must be a non-empty string`);
  const value = member(raw, 'value');
  if (kind !== 'remove' && value === undefined) throw badScim('invalidValue', `${where} (${kind}) needs a "value"`);
  if (kind === 'remove' && typeof path !== 'string')
    throw badScim('noTarget', `${where} (remove) needs a "path" (RFC 7644 section 3.5.2.2)`);
  return { op: kind, ...(typeof path === 'string' ? { path } : {}), ...(value !== undefined ? { value } : {}) };
}

/** A member of a JSON object by its name compared case-insensitively. */
export function member(object: Record<string, unknown>, name: string): unknown {
  const wanted = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : object[key];
}
