import { describe, expect, it } from '@jest/globals';
import { BEARER_TOKEN_MAX_LENGTH, isBearerToken } from '../../../src/domain/bearer-token.js';

// RFC 6750 section 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
describe('the characters a bearer token can carry', () => {
  it.each(['ehc_abcXYZ019', 'a-b.c_d~e+f/g', 'base64padded==', 'x'.repeat(BEARER_TOKEN_MAX_LENGTH)])(
    'takes %s',
    (token) => {
      expect(isBearerToken(token)).toBe(true);
    },
  );

  it.each([
    'with space',
    'tab\there',
    'new\nline',
    'pad=ding',
    '=leading',
    'quote"d',
    'comma,',
    'ümlaut',
    '',
    'x'.repeat(BEARER_TOKEN_MAX_LENGTH + 1),
  ])('refuses %j', (token) => {
    expect(isBearerToken(token)).toBe(false);
  });
});
