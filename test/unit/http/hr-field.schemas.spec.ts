import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { HR_EDITABLE_FIELDS, fieldsStoredOn } from '../../../src/domain/hr-field.catalogue.js';
import { hrUserEditShape, profileInputShape, profileViewShape } from '../../../src/http/hr-field.schemas.js';

const edit = z.strictObject(hrUserEditShape()).partial();
const create = z.strictObject(profileInputShape());

describe('the API schemas of the catalogued fields', () => {
  it('an HR user edit takes every editable field, trimmed, within the catalogue length; null clears', () => {
    expect(Object.keys(hrUserEditShape())).toEqual(HR_EDITABLE_FIELDS);
    expect(edit.parse({ displayName: ` ${'d'.repeat(256)} `, city: null })).toEqual({
      displayName: 'd'.repeat(256),
      city: null,
    });
    expect(edit.safeParse({ displayName: 'd'.repeat(257) }).success).toBe(false);
    expect(edit.safeParse({ jobTitle: '  ' }).success).toBe(false);
    expect(edit.safeParse({ hireDate: '2026-02-30' }).success).toBe(false);
    expect(edit.safeParse({ managerEntraId: 'e-1' }).success).toBe(false);
  });

  it('a profile requires its e-mail and names, takes its manager as a profile id, the rest optional', () => {
    const keys = Object.keys(profileInputShape());
    expect(keys).toEqual([...fieldsStoredOn('employeeProfile').slice(0, -1), 'managerProfileId']);
    const minimal = { email: 'ada@contoso.com', firstName: 'Ada', lastName: 'Lovelace' };
    expect(create.parse(minimal)).toEqual(minimal);
    expect(create.safeParse({ ...minimal, firstName: undefined }).success).toBe(false);
    expect(create.safeParse({ ...minimal, email: 'not an address' }).success).toBe(false);
    expect(create.safeParse({ ...minimal, managerProfileId: 'e-1' }).success).toBe(false);
    expect(create.parse({ ...minimal, hireDate: '2024-02-29', managerProfileId: null, city: null })).toMatchObject({
      hireDate: '2024-02-29',
      managerProfileId: null,
    });
    expect(create.safeParse({ ...minimal, employeeNumber: '1'.repeat(65) }).success).toBe(false);
  });

  it('a profile answers with every catalogued field it holds, the optional ones nullable', () => {
    const view = z.object(profileViewShape());
    const answer = {
      email: 'ada@contoso.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      ...Object.fromEntries(
        Object.keys(profileViewShape())
          .slice(3)
          .map((key) => [key, null]),
      ),
    };
    expect(view.parse(answer)).toEqual(answer);
    expect(view.safeParse({ ...answer, firstName: null }).success).toBe(false);
  });
});
