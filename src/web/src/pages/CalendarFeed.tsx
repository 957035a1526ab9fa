import { useState } from 'react';
import { Button, Field, Input } from '@fluentui/react-components';
import { api } from '../api';
import { ErrorBar, Notice, Row, Section, useAction, useLoad } from '../components/ui';

interface FeedStatus {
  active: boolean;
  createdAt: string | null;
  lastReadAt: string | null;
  url?: string;
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'never');

/**
 * The secret address of the employee's HR calendar as an iCalendar feed (rule 6.4): made (or made
 * again, which ends the old one), shown once with a copy button, and revoked.
 */
export function CalendarFeedSection() {
  const status = useLoad(() => api<FeedStatus>('/api/me/calendar-feed'), []);
  const action = useAction();
  const [url, setUrl] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const s = status.data;

  const make = async () => {
    setCopied(false);
    const made = await action.run(() => api<FeedStatus>('/api/me/calendar-feed', { method: 'POST' }));
    if (made?.url) {
      setUrl(made.url);
      await status.reload();
    }
  };
  const revoke = async () => {
    if (!window.confirm('Revoke the feed address? Calendar apps subscribed to it stop showing your HR calendar.'))
      return;
    const done = await action.run(async () => {
      await api('/api/me/calendar-feed', { method: 'DELETE' });
      return true;
    });
    if (done) {
      setUrl(null);
      await status.reload();
    }
  };
  const copy = async () => {
    if (url)
      await navigator.clipboard.writeText(url).then(
        () => setCopied(true),
        () => setCopied(false),
      );
  };

  return (
    <Section title="Calendar feed">
      <p>
        Subscribe to your HR calendar in a calendar app (Outlook, Google Calendar, Apple Calendar) with a secret
        address. Private events show as busy. Anyone with the address can read the feed: keep it to yourself.
      </p>
      <ErrorBar error={status.error ?? action.error} />
      {url ? (
        <>
          <Field label="Your feed address (shown once)">
            <Input value={url} readOnly onFocus={(e) => e.target.select()} />
          </Field>
          <Row>
            <Button onClick={() => void copy()}>Copy address</Button>
            {copied ? <span aria-live="polite">Copied</span> : null}
          </Row>
        </>
      ) : s?.active ? (
        <Notice intent="info">
          You have a feed address, made {when(s.createdAt)}, last read {when(s.lastReadAt)}. It is shown only when made:
          make a new one to see it again (the old one then stops working).
        </Notice>
      ) : null}
      <Row>
        <Button appearance="primary" disabled={action.busy || !s} onClick={() => void make()}>
          {s?.active ? 'Make a new address' : 'Make a feed address'}
        </Button>
        {s?.active ? (
          <Button disabled={action.busy} onClick={() => void revoke()}>
            Revoke
          </Button>
        ) : null}
      </Row>
    </Section>
  );
}
