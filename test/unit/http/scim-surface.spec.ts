import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { pino } from 'pino';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../../src/application/ports/api-token.port.js';
import type { Repositories } from '../../../src/application/ports/repositories.port.js';
import type { PrincipalLookup } from '../../../src/http/middleware/auth.js';
import { scimSurface } from '../../../src/http/surfaces/scim.surface.js';

const ADMIN: Principal = { userId: 'u-1', email: 'ada@contoso.com', roles: ['Administrator'], isAdmin: true };
const EMPLOYEE: Principal = { userId: 'u-2', email: 'emil@contoso.com', roles: [], isAdmin: false };

/**
 * The SCIM surface alone, over a fake token lookup: what the end-to-end tests cannot provoke (the
 * lookup failing, a holder who lost the administrator role) still answers in SCIM's shape.
 */
describe('the SCIM surface', () => {
  let server: Server;
  let base: string;
  const lookups: Array<[string, string]> = [];
  const principals: PrincipalLookup = async (_em, token, scope) => {
    lookups.push([token, scope]);
    if (token === 'token-the-database-fails-on') throw new Error('connection terminated unexpectedly');
    if (token === 'scim-token-of-an-administrator') return ADMIN;
    if (token === 'scim-token-of-an-employee-only') return EMPLOYEE;
    return null;
  };

  beforeAll(async () => {
    const app = express();
    const logger = pino({ level: 'silent' });
    app.use((req, _res, next) => {
      req.log = logger;
      (req as { id?: string }).id = 'req-12345678';
      next();
    });
    const surface = scimSurface({
      kit: {
        rateLimit: (_req, _res, next) => next(),
        withEntityManager: (req, _res, next) => {
          req.context = { em: {} as EntityManager, repos: {} as Repositories };
          next();
        },
      },
      bodyLimit: '1kb',
      principals,
      rateLimitPerMinute: 1000,
      tokenRateLimitPerMinute: 1000,
    });
    app.use(surface.path, surface.router);
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const call = async (token: string | null, init: RequestInit = {}) => {
    const res = await fetch(`${base}/scim/v2/Users`, {
      ...init,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) },
    });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: (await res.json()) as Record<string, unknown>,
    };
  };

  it('asks for the token of scope scim, never the admin scope', async () => {
    lookups.length = 0;
    await call('scim-token-of-an-administrator');
    expect(lookups).toEqual([['scim-token-of-an-administrator', 'scim']]);
  });

  it('answers a failure of its own with a SCIM 500 that names the request id and nothing of the cause', async () => {
    const res = await call('token-the-database-fails-on');
    expect(res.status).toBe(500);
    expect(res.type).toMatch(/^application\/scim\+json/);
    expect(res.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '500',
      detail: 'An unexpected error occurred; quote the request id req-12345678 when reporting it',
    });
    expect(JSON.stringify(res.body)).not.toContain('connection terminated');
  });

  it('answers 403 when the holder of a valid SCIM token is no administrator', async () => {
    const res = await call('scim-token-of-an-employee-only');
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ status: '403' });
  });

  it('answers 401 without asking anyone when no bearer token is sent', async () => {
    lookups.length = 0;
    const res = await call(null);
    expect([res.status, res.body.status]).toEqual([401, '401']);
    expect(lookups).toEqual([]);
  });

  it('answers 413 past its body limit', async () => {
    const res = await call('scim-token-of-an-administrator', {
      method: 'POST',
      headers: { 'Content-Type': 'application/scim+json' },
      body: JSON.stringify({ userName: 'x'.repeat(2_000) }),
    });
    expect([res.status, res.body.status]).toEqual([413, '413']);
  });
});
