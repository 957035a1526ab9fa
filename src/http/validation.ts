import type { Request } from 'express';
import type { z } from 'zod';
import { AppError } from '../application/app-error.js';

/** Parses a body, query or params with its schema; a 400 names every wrong field and changes nothing. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'params'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new AppError('validation_failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
}

export const body = <S extends z.ZodType>(req: Request, schema: S) => parse(schema, req.body ?? {}, 'body');
export const query = <S extends z.ZodType>(req: Request, schema: S) => parse(schema, req.query, 'query');
export const params = <S extends z.ZodType>(req: Request, schema: S) => parse(schema, req.params, 'params');
