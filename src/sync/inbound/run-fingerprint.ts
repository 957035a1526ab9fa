import { createHash } from 'node:crypto';
import type { RunSettings } from './apply.ports.js';

/**
 * What the last apply was based on: the Graph properties read (first half) and the settings that
 * change a run's decisions (second half). When either changes, the next run applies to every user.
 */
export function fingerprintOf(settings: RunSettings, properties: readonly string[]): string {
  const { roleNames: _names, guardThreshold: _threshold, ...decisive } = settings;
  const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
  return `${hash([...properties].sort())}${hash(decisive)}`;
}

/** Whether two fingerprints read the same Graph properties (a delta cursor keeps its $select). */
export function sameProperties(stored: string | null, current: string): boolean {
  return stored !== null && stored.slice(0, 32) === current.slice(0, 32);
}
