import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { BEARER_TOKEN_MAX_LENGTH, hashToken, isBearerToken, newToken } from '../../../src/domain/bearer-token.js';

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

describe('API tokens', () => {
  it('are 32 random bytes behind the ehc_ prefix, presentable as bearer tokens, stored as their SHA-256', () => {
    const { token, hash } = newToken();
    expect(token).toMatch(/^ehc_[A-Za-z0-9_-]{43}$/);
    expect(isBearerToken(token)).toBe(true);
    expect(hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(newToken().token).not.toBe(token);
  });

  it('hash a token to the hex SHA-256 of its text', () => {
    expect(hashToken('ehc_abc')).toBe('380fa6c59c7ae8097de7dffaeea6af8bcfe8123e42db26499bff0723247b34f2');
  });
});
