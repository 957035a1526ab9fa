/**
 * A user as Graph returned it: the id, and the selected properties as Graph spells them. Which
 * properties mean what in HR terms is the sync engine's business, not the gateway's.
 */
export interface GraphUserRecord {
  id: string;
  properties: Record<string, unknown>;
}

/** Keys that are OData bookkeeping or delta annotations, not user properties. */
export function isAnnotationKey(key: string): boolean {
  return key === 'id' || key.startsWith('@') || key.includes('@odata.') || key.endsWith('@delta');
}

export function toUserRecord(item: Record<string, unknown>): GraphUserRecord {
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (!isAnnotationKey(key)) properties[key] = value;
  }
  return { id: String(item.id), properties };
}

/** `/users/{id}`, the id percent-encoded. */
export function userPath(id: string): string {
  return `/users/${encodeURIComponent(id)}`;
}
