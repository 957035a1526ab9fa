import { useState, type FormEvent } from 'react';
import { Button, Checkbox, Field, Input, makeStyles } from '@fluentui/react-components';
import { api } from '../api';
import { ErrorBar, Row, Section, useAction } from '../components/ui';
import type { CalendarEvent } from '../types';

const useStyles = makeStyles({
  form: { display: 'flex', flexWrap: 'wrap', gap: '8px 12px', alignItems: 'end' },
});

const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');
const localDate = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const localTime = (d: Date) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;
const nextDay = (date: string, days = 1) => localDate(new Date(new Date(`${date}T12:00:00`).getTime() + days * DAY_MS));
const daysBetween = (a: string, b: string) =>
  Math.round((new Date(`${b}T12:00:00`).getTime() - new Date(`${a}T12:00:00`).getTime()) / DAY_MS);

/** When an HR event is, as the employee enters it: a day, and its times unless it lasts all day. */
export interface EventTime {
  date: string;
  from: string;
  until: string;
  allDay: boolean;
}

/** The day, times and "All day" fields of a new or changed HR event. */
export function EventTimeFields({ value, onChange }: { value: EventTime; onChange: (next: EventTime) => void }) {
  const set = (patch: Partial<EventTime>) => onChange({ ...value, ...patch });
  return (
    <>
      <Field label="Date">
        <Input type="date" value={value.date} onChange={(_e, d) => set({ date: d.value })} />
      </Field>
      {value.allDay ? null : (
        <>
          <Field label="From">
            <Input type="time" value={value.from} onChange={(_e, d) => set({ from: d.value })} />
          </Field>
          <Field label="Until">
            <Input type="time" value={value.until} onChange={(_e, d) => set({ until: d.value })} />
          </Field>
        </>
      )}
      <Checkbox label="All day" checked={value.allDay} onChange={(_e, d) => set({ allDay: d.checked === true })} />
    </>
  );
}

/**
 * Changes an event HR made (docs/rules.md §6.7): its subject and time, in the browser's time zone.
 * The change reaches the Outlook calendar like the event did.
 */
export function HrEventEditor({
  event,
  onSaved,
  onCancel,
}: {
  event: CalendarEvent;
  onSaved: (event: CalendarEvent) => void;
  onCancel: () => void;
}) {
  const styles = useStyles();
  const start = new Date(event.start);
  const [subject, setSubject] = useState(event.subject);
  const [date, setDate] = useState(event.isAllDay && event.startDate ? event.startDate : localDate(start));
  const [from, setFrom] = useState(localTime(start));
  const [until, setUntil] = useState(localTime(new Date(event.end)));
  const [allDay, setAllDay] = useState(event.isAllDay);
  const save = useAction();
  // An all-day event keeps its number of days when it moves.
  const length =
    event.isAllDay && event.startDate && event.endDate ? Math.max(1, daysBetween(event.startDate, event.endDate)) : 1;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const when = allDay
      ? { isAllDay: true, startDate: date, endDate: nextDay(date, length) }
      : {
          isAllDay: false,
          start: new Date(`${date}T${from}:00`).toISOString(),
          end: new Date(`${date}T${until}:00`).toISOString(),
        };
    const saved = await save.run(() =>
      api<CalendarEvent>(`/api/me/events/${event.id}`, { method: 'PATCH', body: { subject, timeZone, ...when } }),
    );
    if (saved) onSaved(saved);
  };

  return (
    <Section title={`Change ${event.subject}`}>
      <form className={styles.form} onSubmit={(e) => void submit(e)} aria-label={`Change ${event.subject}`}>
        <Field label="Subject">
          <Input value={subject} onChange={(_e, d) => setSubject(d.value)} />
        </Field>
        <EventTimeFields
          value={{ date, from, until, allDay }}
          onChange={(next) => {
            setDate(next.date);
            setFrom(next.from);
            setUntil(next.until);
            setAllDay(next.allDay);
          }}
        />
        <Row>
          <Button type="submit" appearance="primary" disabled={save.busy || !subject.trim()}>
            Save the event
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
        </Row>
      </form>
      <ErrorBar error={save.error} />
    </Section>
  );
}
