import { badScim, type ScimType } from './scim-error.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A NUL or a lone UTF-16 surrogate cannot be stored as text (PostgreSQL refuses both): a 400 that says where. */
export function assertText(value: string, where: string, scimType: ScimType = 'invalidValue'): void {
  if (value.includes('\u0000') || LONE_SURROGATE.test(value))
    throw badScim(scimType, `${where} holds a NUL character or a lone surrogate, which HR cannot store as text`);
}
