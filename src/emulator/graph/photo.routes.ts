import { createHash } from 'node:crypto';
import type { EmulatorContext } from '../emulator-context.js';
import { badRequest, graphError, notFound } from '../http/graph-errors.js';
import type { GraphRequest, GraphResponse } from '../http/graph-types.js';
import { jsonResponse, versionRoot } from '../http/graph-types.js';

const MAX_PHOTO_BYTES = 4 * 1024 * 1024;

/**
 * The status is documented (https://learn.microsoft.com/graph/api/profilephoto-get), the body is not:
 * ImageNotFound is a guess.
 */
const noPhoto = (): GraphResponse =>
  graphError(
    404,
    'ImageNotFound',
    "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.",
  );

/** GET /users/{id}/photo: metadata only (https://learn.microsoft.com/graph/api/profilephoto-get). */
export function getPhotoMetadata(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const key = req.params['id'] as string;
  const user = ctx.store.getUser(key);
  if (!user) return notFound(key);
  if (!user.photo) return noPhoto();
  const { photo } = user;
  return jsonResponse(200, {
    '@odata.context': `${versionRoot(req)}/$metadata#users('${user.id}')/photo/$entity`,
    '@odata.mediaContentType': photo.contentType,
    '@odata.mediaEtag': photo.etag,
    id: `${photo.width}x${photo.height}`,
    width: photo.width,
    height: photo.height,
  });
}

/** GET /users/{id}/photo/$value: the bytes, 404 when none. */
export function getPhotoValue(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const key = req.params['id'] as string;
  const user = ctx.store.getUser(key);
  if (!user) return notFound(key);
  if (!user.photo) return noPhoto();
  return {
    status: 200,
    body: user.photo.bytes,
    contentType: user.photo.contentType,
    headers: { ETag: user.photo.etag },
  };
}

/** PUT/PATCH /users/{id}/photo/$value with image/jpeg bytes under 4 MB → 200. Never logged for delta. */
export function putPhotoValue(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const key = req.params['id'] as string;
  const user = ctx.store.getUser(key);
  if (!user) return notFound(key);
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!contentType.startsWith('image/'))
    return badRequest('The photo must be sent as an image (Content-Type image/jpeg).');
  if (req.body.length === 0) return badRequest('The request body is empty.');
  if (req.body.length >= MAX_PHOTO_BYTES)
    return graphError(413, 'RequestEntityTooLarge', 'The photo exceeds the 4 MB limit.');
  ctx.store.setPhoto(user.id, photoRecord(req.body, contentType));
  return { status: 200 };
}

export function photoRecord(
  bytes: Buffer,
  contentType: string,
): { bytes: Buffer; contentType: string; etag: string; width: number; height: number } {
  const etag = `"${createHash('sha1').update(bytes).digest('hex').slice(0, 8).toUpperCase()}"`;
  return { bytes, contentType, etag, width: 240, height: 240 };
}
