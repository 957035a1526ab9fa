import type { PictureSource } from '../../sync/pictures/picture-sync.service.js';
import { memberTypeOf, type DeltaMemberType } from './graph-delta.merge.js';
import { nullWhenNotFound } from './graph-gateway.error.js';
import { selectList, withQuery, type GraphRequestExecutor } from './graph-request.executor.js';
import { toUserRecord, userPath, type GraphUserRecord } from './graph-user.record.js';
import type { GraphSession } from './graph.session.js';

export interface GraphPhoto {
  bytes: Uint8Array;
  contentType: string;
}

/**
 * A manager is a user or, rarely, an organisational contact
 * (https://learn.microsoft.com/graph/api/user-list-manager).
 */
export interface GraphManagerRef {
  id: string;
  type: DeltaMemberType;
}

export interface ListUsersOptions {
  /** Page size, 1..999; default 999. */
  top?: number;
}

/** Reading users: the tenant's list, one user, a manager, a profile photo (the picture sync's source). */
export class GraphUsersGateway implements PictureSource {
  private readonly executor: GraphRequestExecutor;

  constructor(session: GraphSession) {
    this.executor = session.executor;
  }

  /**
   * Every user of the tenant, page by page (`$top` ≤ 999, https://learn.microsoft.com/graph/paging),
   * `properties` selected.
   */
  async *listUsers(properties: readonly string[], options: ListUsersOptions = {}): AsyncGenerator<GraphUserRecord[]> {
    const top = Math.min(Math.max(1, options.top ?? 999), 999);
    const url = withQuery('/users', { $select: selectList(properties), $top: top });
    for await (const page of this.executor.pages<Record<string, unknown>>(url)) yield page.value.map(toUserRecord);
  }

  /** Throws kind 'not-found' for an unknown id. */
  async getUser(id: string, properties: readonly string[]): Promise<GraphUserRecord> {
    const body = await this.executor.get<Record<string, unknown>>(
      withQuery(userPath(id), { $select: selectList(properties) }),
    );
    return toUserRecord(body);
  }

  /** Null when the user has no manager (Graph answers 404, "by design"). */
  async getManager(id: string): Promise<GraphManagerRef | null> {
    return nullWhenNotFound(async () => {
      const body = await this.executor.get<Record<string, unknown>>(
        withQuery(`${userPath(id)}/manager`, { $select: 'id' }),
      );
      return { id: String(body.id), type: memberTypeOf(body['@odata.type']) };
    });
  }

  /**
   * The profile photo, or null when there is none: Graph answers 404, or for mailbox-backed users a
   * 1x1 placeholder image (https://learn.microsoft.com/graph/api/profilephoto-get).
   */
  async getPhoto(id: string): Promise<GraphPhoto | null> {
    return nullWhenNotFound(async () => {
      const response = await this.executor.getRaw(`${userPath(id)}/photo/$value`);
      const bytes = new Uint8Array(response.body);
      if (bytes.byteLength === 0 || isPlaceholderImage(bytes)) return null;
      return { bytes, contentType: response.headers.get('content-type') ?? 'application/octet-stream' };
    });
  }
}

/** A 1x1 GIF or PNG: the placeholder Graph serves for a mailbox user without a photo. */
export function isPlaceholderImage(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  if (bytes.byteLength >= 10 && ascii(0, 4) === 'GIF8') {
    return view.getUint16(6, true) === 1 && view.getUint16(8, true) === 1;
  }
  if (bytes.byteLength >= 24 && bytes[0] === 0x89 && ascii(1, 4) === 'PNG' && ascii(12, 16) === 'IHDR') {
    return view.getUint32(16) === 1 && view.getUint32(20) === 1;
  }
  return false;
}
