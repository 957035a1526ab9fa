import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { applyPatch } from '../../../src/scim/patch-apply.js';
import { ScimError } from '../../../src/scim/scim-error.js';
import { planGroupPatch } from '../../../src/scim/scim-group.patch.js';
import { PATCH_OP_SCHEMA, USER_RESOURCE } from '../../../src/scim/scim-schemas.js';

type Doc = Record<string, unknown>;
interface UserCase {
  name: string;
  before?: Doc;
  operations?: unknown[];
  body?: unknown;
  changes?: Doc;
  removes?: string[];
  after?: Doc;
  error?: string;
}
interface GroupCase {
  name: string;
  operations: unknown[];
  plan?: Doc;
  error?: string;
}

const load = <T>(file: string): T =>
  JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8')) as T;
const users = load<{ base: Doc; cases: UserCase[] }>('user-patches.json');
const groups = load<GroupCase[]>('group-patches.json');

const envelope = (c: { operations?: unknown[]; body?: unknown }) =>
  c.body ?? { schemas: [PATCH_OP_SCHEMA], Operations: c.operations };

function expected(c: UserCase): Doc {
  if (c.after) return c.after;
  const doc: Doc = { ...users.base, ...c.changes };
  for (const key of c.removes ?? []) delete doc[key];
  return doc;
}

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return `${error.status} ${error.scimType}`;
    throw error;
  }
  return 'no error';
}

/** PatchOp bodies (RFC 7644 section 3.5.2), every form Entra's provisioning service sends among them. */
describe('PatchOp on a User', () => {
  it.each(users.cases.filter((c) => !c.error).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(applyPatch(c.before ?? users.base, envelope(c), USER_RESOURCE)).toEqual(expected(c));
  });

  it.each(users.cases.filter((c) => c.error).map((c) => [c.name, c] as const))('refuses %s', (_name, c) => {
    expect(failure(() => applyPatch(users.base, envelope(c), USER_RESOURCE))).toBe(`400 ${c.error}`);
  });

  it('applies all operations or none: a failing one leaves the resource as it was', () => {
    const before = structuredClone(users.base);
    const body = envelope({
      operations: [
        { op: 'Replace', path: 'displayName', value: 'Changed' },
        { op: 'Replace', path: 'shoeSize', value: '42' },
      ],
    });
    expect(failure(() => applyPatch(users.base, body, USER_RESOURCE))).toBe('400 invalidPath');
    expect(users.base).toEqual(before);
  });
});

describe('PatchOp on a Group, as membership changes', () => {
  it.each(groups.filter((c) => !c.error).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(planGroupPatch(envelope(c))).toEqual(c.plan);
  });

  it.each(groups.filter((c) => c.error).map((c) => [c.name, c] as const))('refuses %s', (_name, c) => {
    expect(failure(() => planGroupPatch(envelope(c)))).toBe(`400 ${c.error}`);
  });
});
