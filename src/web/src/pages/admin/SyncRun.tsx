import { useState, type FormEvent } from 'react';
import {
  Button,
  Field,
  Input,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
} from '@fluentui/react-components';
import { api, qs } from '../../api';
import {
  Confirm,
  ErrorBar,
  Loading,
  Notice,
  PageHeading,
  Row,
  Scroll,
  Section,
  labelOf,
  useAction,
  useLoad,
  when,
} from '../../components/ui';
import { AppLink } from '../../router';
import type { Outcome, Page, Run, RunDetail } from '../../types';
import { STATUS_TEXT, TRIGGER_TEXT } from './Sync';

const useStyles = makeStyles({
  filters: { display: 'flex', flexWrap: 'wrap', gap: '8px', alignItems: 'end', marginBottom: '12px' },
  dl: { display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 16px', margin: '0 0 12px' },
  dd: { margin: 0 },
});

const OUTCOMES = ['created', 'updated', 'deactivated', 'reactivated', 'skipped', 'failed'] as const;

/** A reason code of the service ("disabled-in-entra") in words; a sentence stays as it is. */
function reasonText(reason: string): string {
  if (!/^[a-z0-9-]+$/.test(reason)) return reason;
  const words = reason
    .replace(/-/g, ' ')
    .replace(/\bentra\b/g, 'Microsoft Entra')
    .replace(/\bhr\b/g, 'HR');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const show = (value: unknown) => (value === null || value === undefined || value === '' ? '–' : String(value));

/** One run: what it did, per user, with a filter and a search; a held run is confirmed or discarded here. */
export function SyncRunPage({ id }: { id: string }) {
  const styles = useStyles();
  const run = useLoad(() => api<RunDetail>(`/api/admin/sync/runs/${id}`), [id]);
  const [outcome, setOutcome] = useState('');
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<{ outcome: string; search: string }>({ outcome: '', search: '' });
  const [more, setMore] = useState<Outcome[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const outcomes = useLoad(async () => {
    const page = await api<Page<Outcome>>(`/api/admin/sync/runs/${id}/outcomes${qs({ ...filter, limit: 100 })}`);
    setMore([]);
    setNext(page.next);
    return page;
  }, [id, filter.outcome, filter.search]);
  const [ask, setAsk] = useState<'confirm' | 'discard' | null>(null);
  const [decided, setDecided] = useState<string | null>(null);
  const decide = useAction();
  const paging = useAction();
  const r = run.data;

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter({ outcome, search: search.trim() });
  };
  const loadMore = async () => {
    if (!next) return;
    const page = await paging.run(() =>
      api<Page<Outcome>>(`/api/admin/sync/runs/${id}/outcomes${qs({ ...filter, limit: 100, after: next })}`),
    );
    if (page) {
      setMore([...more, ...page.items]);
      setNext(page.next);
    }
  };
  const act = async (what: 'confirm' | 'discard') => {
    setAsk(null);
    const done = await decide.run(() => api<Run>(`/api/admin/sync/runs/${id}/${what}`, { method: 'POST' }));
    if (done) {
      setDecided(
        what === 'confirm'
          ? `Confirmed: ${done.counts.deactivated} deactivated, ${done.counts.skipped} no longer due and left active.`
          : 'Discarded: nobody was deactivated by this run.',
      );
      await Promise.all([run.reload(), outcomes.reload()]);
    }
  };
  const rows = [...(outcomes.data?.items ?? []), ...more];
  const due = r?.pending.filter((p) => p.stillDue).length ?? 0;

  return (
    <>
      <PageHeading>Sync run</PageHeading>
      <p>
        <AppLink to="/">Back to Sync</AppLink>
      </p>
      <ErrorBar error={run.error} />
      {run.loading && !r ? <Loading /> : null}
      {r ? (
        <Section title="Summary">
          <dl className={styles.dl}>
            <dt>Started</dt>
            <dd className={styles.dd}>{when(r.startedAt)}</dd>
            <dt>Finished</dt>
            <dd className={styles.dd}>{when(r.finishedAt)}</dd>
            <dt>Trigger</dt>
            <dd className={styles.dd}>
              {TRIGGER_TEXT[r.trigger] ?? r.trigger} ({r.mode})
            </dd>
            <dt>Status</dt>
            <dd className={styles.dd}>{STATUS_TEXT[r.status] ?? r.status}</dd>
            <dt>Changes</dt>
            <dd className={styles.dd}>
              {r.counts.created} created, {r.counts.updated} updated, {r.counts.deactivated} deactivated,{' '}
              {r.counts.reactivated} reactivated, {r.counts.skipped} skipped, {r.counts.failed} failed
            </dd>
          </dl>
          {r.error && r.status === 'failed' ? (
            <Notice intent="warning" title="The run failed.">
              {r.error} Open Connection and test the connection, then sync again.
            </Notice>
          ) : r.error ? (
            <Notice intent="info">{r.error}</Notice>
          ) : null}
          {decided ? <Notice intent="success">{decided}</Notice> : null}
        </Section>
      ) : null}

      {r?.status === 'held' ? (
        <Section title="Waiting for your decision">
          <Notice intent="warning" title={`This run would deactivate ${r.pending.length} people.`}>
            That is more than the safety threshold allows, so it waits. Confirm to deactivate the {due} who are still
            due; discard to deactivate nobody.
          </Notice>
          <Scroll label="Who would be deactivated">
            <Table aria-label="Who would be deactivated" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Person</TableHeaderCell>
                  <TableHeaderCell>Why</TableHeaderCell>
                  <TableHeaderCell>On confirm</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {r.pending.map((p) => (
                  <TableRow key={p.hrUserId}>
                    <TableCell>
                      <AppLink to={`/users/${p.hrUserId}`}>{p.email}</AppLink>
                    </TableCell>
                    <TableCell>{reasonText(p.reason)}</TableCell>
                    <TableCell>{p.stillDue ? 'Deactivated' : `Stays active: ${p.notDueReason ?? ''}`}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Scroll>
          <Row>
            <Button appearance="primary" onClick={() => setAsk('confirm')} disabled={decide.busy}>
              Confirm deactivations
            </Button>
            <Button onClick={() => setAsk('discard')} disabled={decide.busy}>
              Discard
            </Button>
          </Row>
          <ErrorBar error={decide.error} />
        </Section>
      ) : null}

      <Section title="People">
        <form className={styles.filters} onSubmit={apply} role="search" aria-label="Filter people">
          <Field label="Outcome">
            <Select value={outcome} onChange={(_e, d) => setOutcome(d.value)}>
              <option value="">All</option>
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {labelOf(o)}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="E-mail contains">
            <Input value={search} onChange={(_e, d) => setSearch(d.value)} />
          </Field>
          <Button type="submit">Filter</Button>
        </form>
        <ErrorBar error={outcomes.error} />
        {outcomes.loading && !outcomes.data ? <Loading /> : null}
        {outcomes.data && rows.length === 0 ? <p>Nobody matches.</p> : null}
        {rows.length ? (
          <Scroll label="Outcomes">
            <Table aria-label="Outcomes" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Person</TableHeaderCell>
                  <TableHeaderCell>Outcome</TableHeaderCell>
                  <TableHeaderCell>What changed</TableHeaderCell>
                  <TableHeaderCell>Why</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((o) => (
                  <TableRow key={o.id}>
                    <TableCell>
                      {o.hrUserId ? (
                        <AppLink to={`/users/${o.hrUserId}`}>{o.email ?? o.entraId ?? ''}</AppLink>
                      ) : (
                        (o.email ?? o.entraId ?? '–')
                      )}
                    </TableCell>
                    <TableCell>{labelOf(o.outcome)}</TableCell>
                    <TableCell>
                      {o.changes.length
                        ? o.changes.map((c) => `${labelOf(c.field)}: ${show(c.old)} → ${show(c.new)}`).join('; ')
                        : '–'}
                    </TableCell>
                    <TableCell>{o.reason ? reasonText(o.reason) : '–'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Scroll>
        ) : null}
        {next ? (
          <Button onClick={() => void loadMore()} disabled={paging.busy}>
            Show more
          </Button>
        ) : null}
        <ErrorBar error={paging.error} />
      </Section>
      <Confirm
        open={ask !== null}
        title={ask === 'confirm' ? 'Deactivate these people?' : 'Discard this run?'}
        confirmLabel={ask === 'confirm' ? 'Deactivate' : 'Discard'}
        onConfirm={() => void act(ask!)}
        onCancel={() => setAsk(null)}
      >
        {ask === 'confirm'
          ? `${due} people lose access to HR. Anyone back in a synced group since stays active.`
          : 'Nobody is deactivated by this run. The next run decides again.'}
      </Confirm>
    </>
  );
}
