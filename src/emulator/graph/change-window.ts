import type { ChangeLog } from '../store/change-log.js';
import type { ChangeEntry } from '../store/store-types.js';

export interface ChangeWindow {
  /** Relevant entries grouped by object id, in order of first appearance. */
  byObject: Map<string, ChangeEntry[]>;
  /** Last sequence this window covers; the next page starts after it. */
  end: number;
}

/**
 * Reads the log after `from` up to `to`, keeping entries `relevant` says matter, and stops once `maxObjects`
 * distinct objects or `maxEntries` entries are collected. Cost is O(entries read): an incremental delta round
 * never looks at the rest of the tenant (https://learn.microsoft.com/graph/delta-query-overview).
 */
export function readChangeWindow(
  log: ChangeLog,
  from: number,
  to: number,
  relevant: (e: ChangeEntry) => boolean,
  maxObjects: number,
  maxEntries: number,
): ChangeWindow {
  const byObject = new Map<string, ChangeEntry[]>();
  let end = from;
  let kept = 0;
  for (const entry of log.range(from, to)) {
    if (relevant(entry)) {
      const list = byObject.get(entry.id);
      if (!list && byObject.size >= maxObjects) break;
      if (kept >= maxEntries) break;
      if (list) list.push(entry);
      else byObject.set(entry.id, [entry]);
      kept++;
    }
    end = entry.seq;
  }
  return { byObject, end };
}
