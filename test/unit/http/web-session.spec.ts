import { describe, expect, it } from '@jest/globals';
import type { Request } from 'express';
import { cookie, readCookie } from '../../../src/http/cookies.js';
import { csrfTokenMatches, isSafeMethod, sessionCookieName, sessionToken } from '../../../src/http/web-session.js';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as Request;

describe('web session cookies', () => {
  it('over HTTPS the session cookie is __Host- prefixed, Secure, HttpOnly, SameSite=Lax, for the whole site', () => {
    const name = sessionCookieName({ secure: true });
    expect(name).toBe('__Host-ehc_session');
    expect(cookie(name, 'abc', { path: '/', maxAgeSeconds: 3600, secure: true, sameSite: 'Lax' })).toBe(
      '__Host-ehc_session=abc; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax; Secure',
    );
  });

  it('over plain HTTP (a loopback demo) it is not Secure, which the browser would drop', () => {
    expect(sessionCookieName({ secure: false })).toBe('ehc_session');
    expect(cookie('ehc_session', 'abc', { path: '/', maxAgeSeconds: 0, secure: false, sameSite: 'Lax' })).not.toContain(
      'Secure',
    );
  });

  it('reads the session token from the Cookie header, and only a token of ours', () => {
    const token = 'A'.repeat(43);
    expect(readCookie(`other=1; ehc_session=${token}; x=2`, 'ehc_session')).toBe(token);
    expect(sessionToken(request({ cookie: `ehc_session=${token}` }), { secure: false })).toBe(token);
    expect(sessionToken(request({ cookie: `__Host-ehc_session=${token}` }), { secure: false })).toBeNull();
    expect(sessionToken(request({ cookie: 'ehc_session=short' }), { secure: false })).toBeNull();
    expect(sessionToken(request({ cookie: `ehc_session=${'a'.repeat(40)};<script>` }), { secure: false })).toBe(
      'a'.repeat(40),
    );
    expect(readCookie('ehc_session=%E0%A4%A', 'ehc_session')).toBeNull();
  });

  it('asks for the CSRF token on every method but GET, HEAD and OPTIONS, and compares it exactly', () => {
    expect(['GET', 'HEAD', 'OPTIONS'].every(isSafeMethod)).toBe(true);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].some(isSafeMethod)).toBe(false);
    const expected = 'c'.repeat(43);
    expect(csrfTokenMatches(request({ 'x-csrf-token': expected }), expected)).toBe(true);
    expect(csrfTokenMatches(request({ 'x-csrf-token': `${expected}c` }), expected)).toBe(false);
    expect(csrfTokenMatches(request({ 'x-csrf-token': 'd'.repeat(43) }), expected)).toBe(false);
    expect(csrfTokenMatches(request({}), expected)).toBe(false);
  });
});
