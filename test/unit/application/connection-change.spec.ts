import { describe, expect, it } from '@jest/globals';
import {
  describeChange,
  sameAddress,
  sameSecret,
  type ConnectionState,
} from '../../../src/application/connection-change.js';

const state: ConnectionState = {
  tenantId: 'contoso.onmicrosoft.com',
  clientId: '3f1d2c4b-8a7e-4d21-9b0c-5e6f7a8b9c0d',
  authorityHost: 'https://login.microsoftonline.com',
  graphBaseUrl: 'https://graph.microsoft.com',
  credentialKind: 'secret',
  clientSecretExpiresAt: '2027-01-31',
};

describe('a change of the Entra connection', () => {
  it('names only the fields that changed, before and after, and the credential by what happened to it', () => {
    expect(describeChange(state, { ...state, authorityHost: 'https://login.microsoftonline.us' }, false, true)).toEqual(
      {
        oldValue: { authorityHost: 'https://login.microsoftonline.com', connected: true },
        newValue: {
          authorityHost: 'https://login.microsoftonline.us',
          connected: true,
          credential: 'kept',
          changed: ['authorityHost'],
        },
      },
    );
    expect(describeChange(state, state, true, false).newValue).toEqual({
      connected: true,
      credential: 'replaced',
      changed: ['credential'],
    });
    expect(describeChange(null, state, true, false)).toMatchObject({
      oldValue: null,
      newValue: { ...state, credential: 'set' },
    });
  });

  it('compares ids case-insensitively and hosts as URLs', () => {
    expect(sameAddress('clientId', 'ABC', 'abc')).toBe(true);
    expect(sameAddress('authorityHost', 'https://LOGIN.microsoftonline.com', 'https://login.microsoftonline.com')).toBe(
      true,
    );
    expect(
      sameAddress('authorityHost', 'https://login.microsoftonline.com', 'https://login.microsoftonline.com:8443'),
    ).toBe(false);
  });

  it('tells a secret kept from a secret replaced', () => {
    expect(sameSecret({ kind: 'secret', clientSecret: 'a' }, { kind: 'secret', clientSecret: 'a' })).toBe(true);
    expect(sameSecret({ kind: 'secret', clientSecret: 'a' }, { kind: 'secret', clientSecret: 'b' })).toBe(false);
    expect(
      sameSecret(
        { kind: 'secret', clientSecret: 'a' },
        { kind: 'certificate', thumbprintSha256: 'ab', privateKeyPem: 'a' },
      ),
    ).toBe(false);
  });
});
