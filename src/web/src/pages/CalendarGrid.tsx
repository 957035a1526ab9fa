import { makeStyles, tokens } from '@fluentui/react-components';
import type { CalendarEvent } from '../types';

const useStyles = makeStyles({
  // Seven equal columns; on a phone the calendar keeps readable days and scrolls sideways.
  region: {
    overflowX: 'auto',
    maxWidth: '100%',
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}` },
  },
  table: { borderCollapse: 'collapse', width: '100%', minWidth: '640px', tableLayout: 'fixed' },
  th: { fontWeight: 600, padding: '4px', textAlign: 'left', borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
  td: {
    verticalAlign: 'top',
    padding: '4px',
    height: '96px',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    overflowWrap: 'anywhere',
  },
  other: { backgroundColor: tokens.colorNeutralBackground3 },
  date: { fontWeight: 600, display: 'block', marginBottom: '4px' },
  today: { color: tokens.colorBrandForeground1 },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '2px' },
  event: {
    fontSize: tokens.fontSizeBase200,
    borderLeft: `3px solid ${tokens.colorBrandStroke1}`,
    paddingLeft: '4px',
  },
  hr: { borderLeftColor: tokens.colorPaletteGreenBorder2 },
});

export type GridView = 'week' | 'month';
const DAY_MS = 86_400_000;

const dayKey = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The first day shown and how many: a week from `anchor`, or the six weeks around `anchor`'s month. */
export function gridRange(view: GridView, anchor: Date): { from: Date; days: number } {
  if (view === 'week') return { from: anchor, days: 7 };
  const first = new Date(anchor.getFullYear(), anchor.getMonth(), 1);
  const monday = new Date(first.getFullYear(), first.getMonth(), 1 - ((first.getDay() + 6) % 7));
  return { from: monday, days: 42 };
}

/** The local days an event covers: an all-day event from its first day to the day before its end date. */
function daysOf(event: CalendarEvent): string[] {
  if (event.isAllDay && event.startDate && event.endDate) {
    const days: string[] = [];
    for (let d = new Date(`${event.startDate}T12:00:00`); dayKey(d) < event.endDate; d = new Date(d.getTime() + DAY_MS))
      days.push(dayKey(d));
    return days;
  }
  const start = new Date(event.start);
  const last = new Date(new Date(event.end).getTime() - 1);
  const days: string[] = [];
  for (let d = start; dayKey(d) <= dayKey(last); d = new Date(d.getTime() + DAY_MS)) days.push(dayKey(d));
  return days.length ? days : [dayKey(start)];
}

const timeOf = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { timeStyle: 'short' });

/**
 * The employee's events as a calendar: a week of seven days or a month of six weeks, Monday first,
 * in the browser's time zone. A table, so a screen reader reads each day with its heading.
 */
export function CalendarGrid({ view, anchor, events }: { view: GridView; anchor: Date; events: CalendarEvent[] }) {
  const styles = useStyles();
  const { from, days } = gridRange(view, anchor);
  const byDay = new Map<string, CalendarEvent[]>();
  for (const event of events) for (const key of daysOf(event)) byDay.set(key, [...(byDay.get(key) ?? []), event]);
  const dates = Array.from(
    { length: days },
    (_, i) => new Date(from.getFullYear(), from.getMonth(), from.getDate() + i),
  );
  const weeks = Array.from({ length: days / 7 }, (_, w) => dates.slice(w * 7, w * 7 + 7));
  const today = dayKey(new Date());
  const label =
    view === 'week'
      ? `Week of ${from.toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' })}`
      : anchor.toLocaleDateString(undefined, { month: 'long', year: 'numeric' });
  return (
    <div className={styles.region} role="region" aria-label="My calendar" tabIndex={0}>
      <table className={styles.table} aria-label={label}>
        <thead>
          <tr>
            {dates.slice(0, 7).map((d) => (
              <th key={d.getDay()} scope="col" className={styles.th}>
                {d.toLocaleDateString(undefined, { weekday: 'short' })}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={dayKey(week[0]!)}>
              {week.map((d) => {
                const key = dayKey(d);
                const outside = view === 'month' && d.getMonth() !== anchor.getMonth();
                return (
                  <td key={key} className={`${styles.td} ${outside ? styles.other : ''}`}>
                    <span className={`${styles.date} ${key === today ? styles.today : ''}`}>
                      {d.toLocaleDateString(undefined, {
                        day: 'numeric',
                        month: view === 'week' ? 'short' : undefined,
                      })}
                    </span>
                    <ul className={styles.list}>
                      {(byDay.get(key) ?? []).map((e) => (
                        <li key={e.id} className={`${styles.event} ${e.origin === 'hr' ? styles.hr : ''}`}>
                          {e.isAllDay ? '' : `${timeOf(e.start)} `}
                          {e.isPrivate ? 'Busy (private)' : e.subject || '(no subject)'}
                          {e.isCancelled ? ' (cancelled)' : ''}
                        </li>
                      ))}
                    </ul>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
