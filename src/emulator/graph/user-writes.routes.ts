import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../emulator-context.js';
import { badRequest, forbidden, notFound, parseJsonBody } from '../http/graph-errors.js';
import type { GraphRequest, GraphResponse } from '../http/graph-types.js';
import { contextUrl, jsonResponse, noContent } from '../http/graph-types.js';
import { projectUser } from './user-projection.js';
import { validateUserBody } from './user-validation.js';

const LIFECYCLE_WRITE = 'User-LifeCycleInfo.ReadWrite.All';

/**
 * POST /users → 201 with the default property set (https://learn.microsoft.com/graph/api/user-post-users).
 */
export function createUser(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const body = parseJsonBody(req.body);
  if (!body.ok) return body.response;
  const valid = validateUserBody(ctx, body.value);
  if (!valid.ok) return valid.response;
  if ('employeeLeaveDateTime' in valid.value && !req.caller.roles.includes(LIFECYCLE_WRITE)) return forbidden();
  const created = new Date(ctx.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  const user = ctx.store.createUser(randomUUID(), {
    userType: 'Member',
    createdDateTime: created,
    onPremisesSyncEnabled: null,
    ...valid.value,
  });
  return jsonResponse(201, { '@odata.context': contextUrl(req, 'users/$entity'), ...projectUser(user, undefined) });
}

/**
 * PATCH /users/{id} → 204; synced users refuse on-premises mastered properties
 * (https://learn.microsoft.com/graph/api/user-update).
 */
export function updateUser(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const key = req.params['id'] as string;
  const user = ctx.store.getUser(key);
  if (!user) return notFound(key);
  const body = parseJsonBody(req.body);
  if (!body.ok) return body.response;
  const valid = validateUserBody(ctx, body.value, user);
  if (!valid.ok) return valid.response;
  const touched = Object.keys(body.value).map((k) => k.toLowerCase());
  const sync = user.p['onPremisesSyncEnabled'];
  if (sync === true) {
    const mastered = ctx.settings.onPremMasteredProperties.map((p) => p.toLowerCase());
    if (touched.some((k) => mastered.includes(k))) {
      return badRequest(
        'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.',
      );
    }
  } else if (sync === false && touched.includes('onpremisesextensionattributes')) {
    return badRequest(
      'Unable to update the specified properties for objects that have originated within an external service.',
    );
  }
  if (touched.includes('employeeleavedatetime') && !req.caller.roles.includes(LIFECYCLE_WRITE)) return forbidden();
  ctx.store.updateUser(user.id, valid.value);
  return noContent();
}

/**
 * DELETE /users/{id} → 204; the user moves to deleted items
 * (https://learn.microsoft.com/graph/api/user-delete).
 */
export function deleteUser(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const key = req.params['id'] as string;
  const user = ctx.store.getUser(key);
  if (!user) return notFound(key);
  ctx.store.softDeleteUser(user.id, new Date(ctx.now()).toISOString().replace(/\.\d+Z$/, 'Z'));
  return noContent();
}
