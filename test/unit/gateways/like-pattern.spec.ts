import { describe, expect, it } from '@jest/globals';
import { containsPattern, escapeLike } from '../../../src/gateways/db/like-pattern.js';

describe('LIKE patterns', () => {
  it.each([
    ['plain', 'plain'],
    ['100%', '100\\%'],
    ['a_b', 'a\\_b'],
    ['back\\slash', 'back\\\\slash'],
    ['%_\\', '\\%\\_\\\\'],
  ])('escapes %s as %s', (text, escaped) => {
    expect(escapeLike(text)).toBe(escaped);
  });

  it('finds the text anywhere', () => {
    expect(containsPattern('50%')).toBe('%50\\%%');
  });
});
