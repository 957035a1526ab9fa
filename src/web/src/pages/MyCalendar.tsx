import { useState, type FormEvent } from 'react';
import {
  Badge,
  Button,
  Field,
  Input,
  Select,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
} from '@fluentui/react-components';
import { api, qs } from '../api';
import { ErrorBar, Loading, Notice, PageHeading, Row, Scroll, Section, useAction, useLoad } from '../components/ui';
import type { CalendarEvent, MyCalendars, Page } from '../types';
import { CalendarFeedSection } from './CalendarFeed';
import { CalendarGrid, gridRange, type GridView } from './CalendarGrid';
import { EventTimeFields, HrEventEditor } from './HrEventEditor';

const useStyles = makeStyles({
  switches: { display: 'flex', flexDirection: 'column', gap: '4px' },
  form: { display: 'flex', flexWrap: 'wrap', gap: '8px 12px', alignItems: 'end' },
});

/** The kinds of event HR creates (the API's list); an absence shows as out of office in Outlook. */
const KINDS: Record<string, string> = {
  absence: 'Absence',
  onboarding: 'Onboarding',
  interview: 'Interview',
  training: 'Training',
  meeting: 'Meeting',
  other: 'Other',
};
const PUSH: Record<string, string> = {
  synced: 'in Outlook',
  pending: 'on its way to Outlook',
  failed: 'not in Outlook yet',
};

const localDate = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

const DAY_MS = 86_400_000;

/** Monday 00:00 local time of the week `offset` weeks from this one. */
function weekStart(offset: number): Date {
  const now = new Date();
  const monday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - ((now.getDay() + 6) % 7));
  return new Date(monday.getTime() + offset * 7 * DAY_MS);
}

const day = (d: Date) => d.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const time = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { timeStyle: 'short' });

function whenOf(e: CalendarEvent): string {
  if (e.isAllDay) return `${e.startDate ?? ''} all day`;
  return `${day(new Date(e.start))} ${time(e.start)}–${time(e.end)}`;
}

/**
 * The employee's Microsoft 365 calendars in HR: the default one always on, the others switched on
 * or off one by one; and the events of the enabled calendars as a list of two weeks, a week or a
 * month, with HR's own events changed or deleted here.
 */
export function MyCalendarPage() {
  const styles = useStyles();
  const calendars = useLoad(() => api<MyCalendars>('/api/me/calendars'), []);
  // The events as a list of two weeks, a week or a month; `offset` counts steps of the view from now.
  const [view, setView] = useState<'list' | GridView>('list');
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<CalendarEvent | null>(null);
  const now = new Date();
  const anchor = view === 'month' ? new Date(now.getFullYear(), now.getMonth() + offset, 1) : weekStart(offset);
  const range = view === 'list' ? { from: anchor, days: 14 } : gridRange(view, anchor);
  const from = range.from;
  const to = new Date(from.getFullYear(), from.getMonth(), from.getDate() + range.days);
  const events = useLoad(
    () =>
      api<Page<CalendarEvent>>(`/api/me/events${qs({ from: from.toISOString(), to: to.toISOString(), limit: 1000 })}`),
    [view, offset],
  );
  const step = view === 'list' ? 2 : 1;
  const change = useAction();
  const create = useAction();
  const remove = useAction();
  const [kind, setKind] = useState('meeting');
  const [subject, setSubject] = useState('');
  const [date, setDate] = useState(localDate(new Date(Date.now() + DAY_MS)));
  const [startTime, setStartTime] = useState('10:00');
  const [endTime, setEndTime] = useState('11:00');
  const [allDay, setAllDay] = useState(false);
  const [calendarId, setCalendarId] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [changed, setChanged] = useState<string | null>(null);
  const c = calendars.data;

  const setEnabled = async (id: string, name: string, enabled: boolean) => {
    setChanged(null);
    const done = await change.run(() => api(`/api/me/calendars/${id}`, { method: 'PATCH', body: { enabled } }));
    if (done) {
      // The message follows the reload, so that what it says is already what the switch shows.
      await calendars.reload();
      setChanged(
        enabled
          ? `${name} is on: its events come to HR at the next calendar sync, in a few minutes.`
          : `${name} is off: its events leave HR.`,
      );
    }
  };
  const setOption = async (patch: { syncEnabled?: boolean; showPrivateDetails?: boolean }) => {
    setChanged(null);
    if (await change.run(() => api('/api/me/calendar-settings', { method: 'PATCH', body: patch })))
      await calendars.reload();
  };

  const addEvent = async (event: FormEvent) => {
    event.preventDefault();
    setCreated(null);
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const next = localDate(new Date(new Date(`${date}T12:00:00`).getTime() + DAY_MS));
    const when = allDay
      ? { isAllDay: true, startDate: date, endDate: next }
      : {
          start: new Date(`${date}T${startTime}:00`).toISOString(),
          end: new Date(`${date}T${endTime}:00`).toISOString(),
        };
    const made = await create.run(() =>
      api<CalendarEvent>('/api/me/events', {
        method: 'POST',
        body: { kind, subject, timeZone: zone, ...when, ...(calendarId ? { calendarId } : {}) },
      }),
    );
    if (made) {
      setCreated(`${made.subject} is in HR and goes to your Outlook calendar within seconds.`);
      setSubject('');
      await events.reload();
    }
  };
  const deleteEvent = async (e: CalendarEvent) => {
    setCreated(null);
    // 204 No Content: the run answers true once the delete is done.
    const done = await remove.run(async () => {
      await api(`/api/me/events/${e.id}`, { method: 'DELETE' });
      return true;
    });
    if (done) await events.reload();
  };

  return (
    <>
      <PageHeading>My calendars</PageHeading>
      <ErrorBar error={calendars.error} />
      {calendars.loading && !c ? <Loading /> : null}
      {c ? (
        <Section title="Calendars">
          <div className={styles.switches}>
            <Switch
              label="Sync my calendars with HR"
              checked={c.syncEnabled}
              onChange={(_e, d) => void setOption({ syncEnabled: d.checked })}
              disabled={change.busy}
            />
            <Switch
              label="Show the details of my private events in HR"
              checked={c.showPrivateDetails}
              onChange={(_e, d) => void setOption({ showPrivateDetails: d.checked })}
              disabled={change.busy}
            />
          </div>
          {c.calendars.length === 0 ? (
            <p>No calendar yet: they appear after the first calendar sync, if your organisation has switched it on.</p>
          ) : (
            <Scroll label="My calendars">
              <Table aria-label="My calendars" size="small">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Calendar</TableHeaderCell>
                    <TableHeaderCell>Owner</TableHeaderCell>
                    <TableHeaderCell>In HR</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {c.calendars.map((cal) => (
                    <TableRow key={cal.id}>
                      <TableCell>
                        {cal.name}{' '}
                        {cal.isDefault ? (
                          <Badge appearance="outline" color="brand">
                            Default
                          </Badge>
                        ) : null}
                      </TableCell>
                      <TableCell>
                        {cal.kind === 'own' ? 'You' : (cal.owner.name ?? cal.owner.address ?? 'Shared with you')}
                      </TableCell>
                      <TableCell>
                        {cal.isDefault ? (
                          'Always on'
                        ) : (
                          <Switch
                            aria-label={`${cal.name} in HR`}
                            label={cal.enabled ? 'On' : 'Off'}
                            checked={cal.enabled}
                            disabled={change.busy}
                            onChange={(_e, d) => void setEnabled(cal.id, cal.name, d.checked)}
                          />
                        )}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Scroll>
          )}
          <ErrorBar error={change.error} />
          {changed ? <Notice intent="success">{changed}</Notice> : null}
        </Section>
      ) : null}
      <CalendarFeedSection />
      <Section title="New HR event">
        <form className={styles.form} onSubmit={(e) => void addEvent(e)}>
          <Field label="Kind">
            <Select value={kind} onChange={(_e, d) => setKind(d.value)}>
              {Object.entries(KINDS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Subject">
            <Input value={subject} onChange={(_e, d) => setSubject(d.value)} />
          </Field>
          <EventTimeFields
            value={{ date, from: startTime, until: endTime, allDay }}
            onChange={(next) => {
              setDate(next.date);
              setStartTime(next.from);
              setEndTime(next.until);
              setAllDay(next.allDay);
            }}
          />
          <Field label="Calendar">
            <Select value={calendarId} onChange={(_e, d) => setCalendarId(d.value)}>
              <option value="">My default calendar</option>
              {(c?.calendars ?? [])
                .filter((cal) => cal.enabled && !cal.isDefault)
                .map((cal) => (
                  <option key={cal.id} value={cal.id}>
                    {cal.name}
                  </option>
                ))}
            </Select>
          </Field>
          <Button type="submit" appearance="primary" disabled={create.busy || !subject.trim()}>
            Add event
          </Button>
        </form>
        <ErrorBar error={create.error} />
        {created ? <Notice intent="success">{created}</Notice> : null}
      </Section>
      {editing ? (
        <HrEventEditor
          key={editing.id}
          event={editing}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setCreated(`${saved.subject} is changed in HR and in your Outlook calendar within seconds.`);
            void events.reload();
          }}
        />
      ) : null}
      <Section title="My events">
        <Row>
          <Field label="Show">
            <Select
              value={view}
              onChange={(_e, d) => {
                setView(d.value as 'list' | GridView);
                setOffset(0);
              }}
            >
              <option value="list">List of two weeks</option>
              <option value="week">Week</option>
              <option value="month">Month</option>
            </Select>
          </Field>
          <Button onClick={() => setOffset(offset - step)}>Earlier</Button>
          <span aria-live="polite">
            {day(from)} – {day(new Date(to.getTime() - DAY_MS))}
          </span>
          <Button onClick={() => setOffset(offset + step)}>Later</Button>
          <Button appearance="subtle" onClick={() => void events.reload()}>
            Refresh
          </Button>
        </Row>
        <ErrorBar error={events.error} />
        <ErrorBar error={remove.error} />
        {events.loading && !events.data ? <Loading /> : null}
        {view !== 'list' && events.data ? (
          <CalendarGrid view={view} anchor={anchor} events={events.data.items} />
        ) : null}
        {view === 'list' && events.data && events.data.items.length === 0 ? <p>No event in these two weeks.</p> : null}
        {view === 'list' && events.data?.items.length ? (
          <Scroll label="My events">
            <Table aria-label="My events" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>When</TableHeaderCell>
                  <TableHeaderCell>Event</TableHeaderCell>
                  <TableHeaderCell>Calendar</TableHeaderCell>
                  <TableHeaderCell>From</TableHeaderCell>
                  <TableHeaderCell>Action</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {events.data.items.map((e) => (
                  <TableRow key={e.id}>
                    <TableCell>{whenOf(e)}</TableCell>
                    <TableCell>
                      {e.isPrivate ? 'Busy (private)' : e.subject || '(no subject)'}
                      {e.isCancelled ? ' (cancelled)' : ''}
                      {e.location ? ` · ${e.location}` : ''}
                    </TableCell>
                    <TableCell>{e.calendarName ?? '–'}</TableCell>
                    <TableCell>
                      {e.origin === 'hr'
                        ? `HR, ${KINDS[e.kind] ?? e.kind}${e.push ? ` (${PUSH[e.push.state] ?? e.push.state})` : ''}`
                        : 'Outlook'}
                    </TableCell>
                    <TableCell>
                      {e.origin === 'hr' ? (
                        <Row>
                          <Button size="small" aria-label={`Change ${e.subject}`} onClick={() => setEditing(e)}>
                            Change
                          </Button>
                          <Button
                            size="small"
                            aria-label={`Delete ${e.subject}`}
                            disabled={remove.busy}
                            onClick={() => void deleteEvent(e)}
                          >
                            Delete
                          </Button>
                        </Row>
                      ) : (
                        'Change it in Outlook'
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Scroll>
        ) : null}
      </Section>
    </>
  );
}
