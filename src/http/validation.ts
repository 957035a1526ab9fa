import type { Request } from 'express';
import type { z } from 'zod';
import { AppError, type FieldIssue } from '../application/app-error.js';

type Where = 'body' | 'query' | 'params';

/**
 * Parses a body, query or params with its schema; a 400 names every wrong field and changes nothing.
 * Every object in a request schema must be strict (unknown fields are refused, never dropped: a
 * misspelt or unsupported option must not be silently ignored), and text must be valid Unicode
 * without NUL, which PostgreSQL cannot store.
 */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: Where): z.infer<S> {
  assertStrictSchema(schema, where);
  const unsafe = unsafeTextIssues(value, where);
  if (unsafe.length) throw invalid(unsafe);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalid(result.error.issues.flatMap((issue) => toFieldIssues(issue, where)));
}

/**
 * Parses a body that another system writes (Microsoft Graph's change notifications): its objects
 * may carry fields this service does not know, so they are kept rather than refused.
 */
export function parseForeign<S extends z.ZodType>(schema: S, value: unknown, where: Where): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalid(result.error.issues.flatMap((issue) => toFieldIssues(issue, where)));
}

export const body = <S extends z.ZodType>(req: Request, schema: S) => parse(schema, req.body ?? {}, 'body');
export const query = <S extends z.ZodType>(req: Request, schema: S) => parse(schema, req.query, 'query');
export const params = <S extends z.ZodType>(req: Request, schema: S) => parse(schema, req.params, 'params');

function invalid(errors: FieldIssue[]): AppError {
  return new AppError('validation_failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
}

function toFieldIssues(issue: z.core.$ZodIssue, where: Where): FieldIssue[] {
  const at = [where, ...issue.path.map(String)];
  // One entry per unknown field, so the 400 names each of them where a client looks for it.
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => ({ path: [...at, key].join('.'), message: 'unknown field' }));
  return [{ path: at.join('.'), message: issue.message }];
}

// A UTF-16 surrogate without its pair: not a Unicode scalar value, so it has no UTF-8 form
// (RFC 3629 section 3) and would be stored as U+FFFD or refused by PostgreSQL's json.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate (not valid Unicode)';
  return null;
}

/** Every string (and key) in a parsed JSON body or query string that the database could not store as text. */
export function unsafeTextIssues(value: unknown, where: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const visit = (node: unknown, path: string, depth: number): void => {
    if (typeof node === 'string') {
      const problem = textProblem(node);
      if (problem) issues.push({ path, message: problem });
    } else if (Array.isArray(node) && depth < 64) {
      node.forEach((item, index) => visit(item, `${path}.${index}`, depth + 1));
    } else if (node && typeof node === 'object' && depth < 64) {
      for (const [key, item] of Object.entries(node)) {
        const keyProblem = textProblem(key);
        if (keyProblem) issues.push({ path, message: `a field name ${keyProblem}` });
        else visit(item, `${path}.${key}`, depth + 1);
      }
    }
  };
  visit(value, where, 0);
  return issues;
}

const checked = new WeakSet<z.ZodType>();

/**
 * Throws (a programming error, at registration or first use) when a request schema has an object
 * that would drop unknown fields instead of refusing them: use z.strictObject.
 */
export function assertStrictSchema(schema: z.ZodType, where: string): void {
  if (checked.has(schema)) return;
  const loose = looseObjectPaths(schema as unknown as ZodNode, where, 0);
  if (loose.length)
    throw new Error(
      `Request schema not strict at ${loose.join(', ')}: use z.strictObject so unknown fields are refused`,
    );
  checked.add(schema);
}

interface ZodNode {
  _zod: { def: Record<string, unknown> & { type: string } };
}

function looseObjectPaths(node: ZodNode, path: string, depth: number): string[] {
  const def = node._zod.def;
  const inner = (key: string, at = path) => (def[key] ? looseObjectPaths(def[key] as ZodNode, at, depth + 1) : []);
  if (depth > 32) return [];
  switch (def.type) {
    case 'object': {
      const catchall = def.catchall as ZodNode | undefined;
      const own = catchall?._zod.def.type === 'never' ? [] : [path];
      const shape = def.shape as Record<string, ZodNode>;
      return [
        ...own,
        ...Object.entries(shape).flatMap(([key, child]) => looseObjectPaths(child, `${path}.${key}`, depth + 1)),
      ];
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return inner('innerType');
    case 'array':
      return inner('element', `${path}[]`);
    case 'record':
      return inner('valueType', `${path}{}`);
    case 'pipe':
      return inner('in');
    case 'union':
      return (def.options as ZodNode[]).flatMap((option) => looseObjectPaths(option, path, depth + 1));
    case 'intersection':
      return [...inner('left'), ...inner('right')];
    default:
      return [];
  }
}
