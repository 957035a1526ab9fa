import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { AppError } from '../../../src/application/app-error.js';
import { assertStrictSchema, parse, unsafeTextIssues } from '../../../src/http/validation.js';

describe('request validation', () => {
  it('refuses a schema with an object that would drop unknown fields, however deep', () => {
    expect(() => assertStrictSchema(z.object({ a: z.string() }), 'body')).toThrow(/not strict at body/);
    expect(() =>
      assertStrictSchema(z.strictObject({ nested: z.array(z.object({ b: z.string() })).optional() }), 'body'),
    ).toThrow(/body\.nested\[\]/);
    expect(() => assertStrictSchema(z.strictObject({ a: z.union([z.string(), z.object({})]) }), 'body')).toThrow(
      /body\.a/,
    );
    expect(() =>
      assertStrictSchema(
        z
          .strictObject({ a: z.string().default('x') })
          .partial()
          .refine(() => true),
        'body',
      ),
    ).not.toThrow();
    expect(() =>
      assertStrictSchema(z.strictObject({ r: z.record(z.string(), z.strictObject({})) }), 'body'),
    ).not.toThrow();
  });

  it('names every unknown field on its own', () => {
    const schema = z.strictObject({
      mode: z.enum(['full']).optional(),
      inner: z.strictObject({ x: z.number() }).optional(),
    });
    expect.assertions(3);
    try {
      parse(schema, { dryRun: true, force: 1, inner: { x: 1, y: 2 } }, 'body');
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).errors).toEqual(
        expect.arrayContaining([
          { path: 'body.dryRun', message: 'unknown field' },
          { path: 'body.force', message: 'unknown field' },
          { path: 'body.inner.y', message: 'unknown field' },
        ]),
      );
      expect((error as AppError).errors).toHaveLength(3);
    }
  });

  it('finds NUL and lone surrogates in values and keys, and lets surrogate pairs through', () => {
    expect(
      unsafeTextIssues(
        { a: 'ok 😀', b: ['x', 'y\u0000'], c: { d: '\ud800x', e: 'x\udc00' }, 'k\u0000': 1, n: 5 },
        'body',
      ),
    ).toEqual([
      { path: 'body.b.1', message: 'contains a NUL character' },
      { path: 'body.c.d', message: 'contains a lone UTF-16 surrogate (not valid Unicode)' },
      { path: 'body.c.e', message: 'contains a lone UTF-16 surrogate (not valid Unicode)' },
      { path: 'body', message: 'a field name contains a NUL character' },
    ]);
    expect(unsafeTextIssues('\ud83d\ude00', 'query.q')).toEqual([]);
  });
});
