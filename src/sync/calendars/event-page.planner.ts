import {
  contentOf,
  isStoredAsEvent,
  type EventContent,
  type MailboxEvent,
  type StoredEventType,
} from '../../domain/calendar-event.js';
import type { CalendarViewEntry, StoredEvent } from './calendar-sync.ports.js';

/** A Microsoft 365 event to store in HR (new, or changed since HR's copy). */
export interface EventUpsert {
  sourceId: string;
  seriesSourceId: string | null;
  eventType: StoredEventType;
  originalStart: string | null;
  changeKey: string | null;
  lastModified: string | null;
  content: EventContent;
}

/** What one page of a calendar's delta changes in HR. */
export interface EventPageChanges {
  /** Microsoft 365 events, new or changed. */
  upserts: EventUpsert[];
  /** Events the page repeats unchanged (a full round marks them seen). */
  unchanged: string[];
  /** Microsoft 365 events that left the view: deleted, cancelled, moved out of the window. */
  removed: string[];
  /** HR's own events the page speaks of: changed in Outlook, or gone from the view (rule 6.7). */
  hrEntries: Array<{ stored: StoredEvent; entry: CalendarViewEntry }>;
}

/**
 * The plan for one page, pure: entries are matched with what HR holds by their Microsoft 365 id. A
 * page may repeat an entry (Graph replays changes, https://learn.microsoft.com/graph/delta-query-overview):
 * the last one counts, and an entry whose changeKey HR already has changes nothing. Series masters
 * never come in a calendar view, and would be left out if they did (rule 6.6).
 */
export function planEventPage(
  entries: readonly CalendarViewEntry[],
  stored: readonly StoredEvent[],
  options: { showPrivateDetails: boolean },
): EventPageChanges {
  const known = new Map(stored.map((event) => [event.sourceId, event]));
  const latest = new Map<string, CalendarViewEntry>();
  for (const entry of entries) latest.set(sourceIdOf(entry), entry);
  const changes: EventPageChanges = { upserts: [], unchanged: [], removed: [], hrEntries: [] };
  for (const [sourceId, entry] of latest) {
    const current = known.get(sourceId);
    if (current?.origin === 'hr') changes.hrEntries.push({ stored: current, entry });
    else if (entry.kind === 'removed') {
      if (current) changes.removed.push(sourceId);
    } else if (!isStoredAsEvent(entry.event)) continue;
    else if (current && current.changeKey !== null && current.changeKey === entry.event.changeKey)
      changes.unchanged.push(sourceId);
    else changes.upserts.push(upsertOf(entry.event, options));
  }
  return changes;
}

/** The Microsoft 365 id an entry speaks of. */
export function sourceIdOf(entry: CalendarViewEntry): string {
  return entry.kind === 'removed' ? entry.sourceId : entry.event.sourceId;
}

function upsertOf(
  event: MailboxEvent & { type: StoredEventType },
  options: { showPrivateDetails: boolean },
): EventUpsert {
  return {
    sourceId: event.sourceId,
    seriesSourceId: event.seriesSourceId,
    eventType: event.type,
    originalStart: event.originalStart,
    changeKey: event.changeKey,
    lastModified: event.lastModified,
    content: contentOf(event, options),
  };
}
