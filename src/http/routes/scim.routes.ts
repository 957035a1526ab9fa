import { Router, type Request, type Response } from 'express';
import { ScimGroupsService } from '../../application/scim/scim-groups.service.js';
import { ScimUsersService } from '../../application/scim/scim-users.service.js';
import { ScimError, SCIM_MEDIA_TYPE } from '../../scim/scim-error.js';
import {
  RESOURCE_TYPES,
  SCHEMAS,
  resourceTypeResource,
  schemaResource,
  serviceProviderConfig,
} from '../../scim/scim-discovery.js';
import { listResponse, readListQuery, readProjection } from '../../scim/scim-list.js';
import type { Resource } from '../../scim/scim-resource.js';
import { GROUP_RESOURCE, USER_RESOURCE } from '../../scim/scim-schemas.js';

/** Where the SCIM endpoint's rules are written down (ServiceProviderConfig documentationUri). */
export const SCIM_DOCUMENTATION = 'docs/rules.md#7-push-provisioning-over-scim-20';

/**
 * The SCIM 2.0 routes (RFC 7644 section 3.2), under the SCIM surface that authenticates and parses.
 * Paths compare case-insensitively (Express's default), unknown query parameters are ignored, and
 * every answer is application/scim+json.
 */
export function scimRouter(options: { baseUrl: (req: Request) => string }): Router {
  const router = Router();
  const users = (req: Request) => new ScimUsersService(req.context.repos, options.baseUrl(req));
  const groups = (req: Request) => new ScimGroupsService(req.context.repos, options.baseUrl(req));
  const ifMatch = (req: Request) => ({ ...(req.headers['if-match'] ? { ifMatch: req.headers['if-match'] } : {}) });

  router.get('/Users', async (req, res) =>
    send(res, 200, await users(req).list(readListQuery(req.query, USER_RESOURCE))),
  );
  router.post('/Users', async (req, res) => send(res, 201, await users(req).create(req.body), true));
  router.get('/Users/:id', async (req, res) =>
    send(res, 200, await users(req).get(param(req, 'id'), readProjection(req.query, USER_RESOURCE)), true),
  );
  router.put('/Users/:id', async (req, res) =>
    send(res, 200, await users(req).replace(param(req, 'id'), req.body, ifMatch(req)), true),
  );
  router.patch('/Users/:id', async (req, res) =>
    send(res, 200, await users(req).patch(param(req, 'id'), req.body, ifMatch(req)), true),
  );
  router.delete('/Users/:id', async (req, res) => {
    await users(req).delete(param(req, 'id'), ifMatch(req));
    res.status(204).end();
  });

  router.get('/Groups', async (req, res) =>
    send(res, 200, await groups(req).list(readListQuery(req.query, GROUP_RESOURCE))),
  );
  router.post('/Groups', async (req, res) => send(res, 201, await groups(req).create(req.body), true));
  router.get('/Groups/:id', async (req, res) =>
    send(res, 200, await groups(req).get(param(req, 'id'), readProjection(req.query, GROUP_RESOURCE)), true),
  );
  router.put('/Groups/:id', async (req, res) =>
    send(res, 200, await groups(req).replace(param(req, 'id'), req.body, ifMatch(req)), true),
  );
  router.patch('/Groups/:id', async (req, res) => {
    await groups(req).patch(param(req, 'id'), req.body, ifMatch(req));
    res.status(204).end();
  });
  router.delete('/Groups/:id', async (req, res) => {
    await groups(req).delete(param(req, 'id'), ifMatch(req));
    res.status(204).end();
  });

  // The reference Postman collection asks /serviceConfiguration; the RFC names /ServiceProviderConfig.
  router.get(['/ServiceProviderConfig', '/serviceConfiguration'], (req, res) =>
    send(res, 200, serviceProviderConfig(options.baseUrl(req), SCIM_DOCUMENTATION)),
  );
  router.get('/ResourceTypes', (req, res) => {
    const all = RESOURCE_TYPES.map((t) => resourceTypeResource(t, options.baseUrl(req)));
    send(res, 200, listResponse(all, all.length, 1));
  });
  router.get('/ResourceTypes/:name', (req, res) => {
    const type = RESOURCE_TYPES.find((t) => t.name.toLowerCase() === param(req, 'name').toLowerCase());
    if (!type) throw new ScimError(404, `No resource type ${param(req, 'name')}`);
    send(res, 200, resourceTypeResource(type, options.baseUrl(req)));
  });
  router.get('/Schemas', (req, res) => {
    const all = SCHEMAS.map((s) => schemaResource(s, options.baseUrl(req)));
    send(res, 200, listResponse(all, all.length, 1));
  });
  router.get('/Schemas/:uri', (req, res) => {
    const schema = SCHEMAS.find((s) => s.id.toLowerCase() === param(req, 'uri').toLowerCase());
    if (!schema) throw new ScimError(404, `No schema ${param(req, 'uri')}`);
    send(res, 200, schemaResource(schema, options.baseUrl(req)));
  });
  return router;
}

function param(req: Request, name: string): string {
  return String((req.params as Record<string, string | undefined>)[name] ?? '');
}

/** A SCIM answer; a single resource also carries its ETag (RFC 7644 section 3.14) and, created, its Location. */
function send(res: Response, status: number, body: Resource, single = false): void {
  const meta = body.meta as { version?: string; location?: string } | undefined;
  if (single && meta?.version) res.setHeader('ETag', meta.version);
  if (status === 201 && meta?.location) res.location(meta.location);
  res.status(status).type(SCIM_MEDIA_TYPE).send(JSON.stringify(body));
}
