import { describe, expect, it } from '@jest/globals';
import { CHANGE_ORIGINS, grantedBy } from '../../../src/domain/change-origin.js';
import { rows } from '../../support/each-rows.js';

describe('where a change of an HR user came from', () => {
  it('is the inbound sync, HR or SCIM', () => {
    expect(CHANGE_ORIGINS).toEqual(['entra', 'hr', 'scim']);
  });

  it.each(
    rows([
      ['entra', 'sync'],
      ['hr', 'hr'],
      ['scim', 'scim'],
    ]),
  )('a role granted by %s is recorded as granted by %s', (origin, granted) => {
    expect(grantedBy(origin)).toBe(granted);
  });
});
