import { useEffect, useState } from 'react';
import {
  Button,
  Field,
  ProgressBar,
  Select,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { api } from '../../api';
import {
  ErrorBar,
  Loading,
  Notice,
  PageHeading,
  Row,
  Scroll,
  Section,
  useAction,
  useLoad,
  when,
} from '../../components/ui';
import { AppLink } from '../../router';
import type { FullSettings, Page, Run, SyncStatus } from '../../types';

const useStyles = makeStyles({
  dl: { display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 16px', margin: '0 0 12px' },
  dd: { margin: 0 },
  chart: { display: 'block', width: '100%', maxWidth: '720px', height: 'auto' },
  legend: { display: 'flex', flexWrap: 'wrap', gap: '12px', margin: '8px 0 0', padding: 0, listStyle: 'none' },
  swatch: { display: 'inline-block', width: '10px', height: '10px', marginRight: '4px' },
  muted: { color: tokens.colorNeutralForeground3 },
});

export const STATUS_TEXT: Record<string, string> = {
  queued: 'Waiting to start',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  held: 'Held: waiting for you',
  'completed-with-failures': 'Done, with failures',
  cancelled: 'Cancelled',
  confirmed: 'Held, then confirmed',
  discarded: 'Held, then discarded',
  preview: 'Preview',
};
export const TRIGGER_TEXT: Record<string, string> = {
  manual: 'Sync now',
  schedule: 'Schedule',
  preview: 'Preview',
  user: 'One user',
  reconciliation: 'Full reconciliation',
  scim: 'Entra provisioning',
};
export const STAGE_TEXT: Record<string, string> = {
  queued: 'Waiting to start',
  fetch: 'Reading users from Microsoft Entra',
  apply: 'Updating HR users',
  finishing: 'Finishing',
  done: 'Finishing',
};
const SERIES = [
  { key: 'created', label: 'Created', color: tokens.colorPaletteGreenBackground3 },
  { key: 'updated', label: 'Updated', color: tokens.colorPaletteBlueBorderActive },
  { key: 'deactivated', label: 'Deactivated', color: tokens.colorPaletteMarigoldBackground3 },
  { key: 'failed', label: 'Failed', color: tokens.colorPaletteRedBackground3 },
] as const;

interface Preview {
  run: Run;
  wouldBeHeld: boolean;
  guard: { text: string | null } | null;
}

/** The intervals offered; the API takes any duration of 5 minutes or more (a setting made elsewhere is kept). */
const INTERVALS = ['15 minutes', '30 minutes', '1 hour', '2 hours', '4 hours', '12 hours', '1 day'];

/** Automatic sync on or off, and how often (settings autoSync and syncInterval). */
function ScheduleForm({ autoSync, interval, onSaved }: { autoSync: boolean; interval: string; onSaved: () => void }) {
  const [on, setOn] = useState(autoSync);
  const [every, setEvery] = useState(interval);
  const [saved, setSaved] = useState(false);
  const save = useAction();
  // What the service says after a save (or another admin's change) is what the form shows.
  useEffect(() => {
    setOn(autoSync);
    setEvery(interval);
  }, [autoSync, interval]);
  const submit = async () => {
    setSaved(false);
    const result = await save.run(() =>
      api<FullSettings>('/api/admin/settings', { method: 'PATCH', body: { autoSync: on, syncInterval: every } }),
    );
    if (result) {
      setSaved(true);
      onSaved();
    }
  };
  return (
    <>
      <Row>
        <Switch
          label="Automatic sync"
          checked={on}
          onChange={(_e, d) => {
            setSaved(false);
            setOn(d.checked);
          }}
        />
        <Field label="Every" orientation="horizontal">
          <Select
            value={every}
            disabled={!on}
            onChange={(_e, d) => {
              setSaved(false);
              setEvery(d.value);
            }}
          >
            {(INTERVALS.includes(interval) ? INTERVALS : [interval, ...INTERVALS]).map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </Select>
        </Field>
        <Button onClick={() => void submit()} disabled={save.busy || (on === autoSync && every === interval)}>
          Save the schedule
        </Button>
      </Row>
      <ErrorBar error={save.error} />
      {saved ? <Notice intent="success">The schedule is saved.</Notice> : null}
    </>
  );
}

const isActive = (status: string | undefined) => status === 'queued' || status === 'running';

/** The share of the run done, when the number of users to look at is known. */
function progressOf(run: Run): { value: number | undefined; text: string } {
  const stage = STAGE_TEXT[run.progress.stage] ?? run.progress.stage;
  if (run.status === 'queued') return { value: undefined, text: 'Waiting to start' };
  if (!run.progress.total) return { value: undefined, text: `${stage}: ${run.progress.pages} pages read` };
  const value = Math.min(1, run.progress.processed / run.progress.total);
  return { value, text: `${stage}: ${run.progress.processed} of ${run.progress.total} users` };
}

/**
 * The sync: its schedule, "Sync now" with a live progress bar, the held runs waiting for a
 * decision, a chart of what the last runs did, and the history of runs.
 */
export function SyncPage() {
  const styles = useStyles();
  const status = useLoad(() => api<SyncStatus>('/api/admin/sync/status'), []);
  const runs = useLoad(() => api<Page<Run>>('/api/admin/sync/runs?limit=50'), []);
  const [live, setLive] = useState<Run | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const start = useAction();
  const previewing = useAction();
  const [preview, setPreview] = useState<Preview | null>(null);
  const poll = useAction();
  const activeId = runId ?? status.data?.activeRun?.id ?? null;

  // While a run is queued or running its progress is read twice a second; the page updates when it ends.
  useEffect(() => {
    if (!activeId) return;
    let stopped = false;
    const tick = async () => {
      const run = await poll.run(() => api<Run>(`/api/admin/sync/runs/${activeId}`));
      if (stopped || !run) return;
      setLive(run);
      if (isActive(run.status)) timer = setTimeout(() => void tick(), 500);
      else {
        setRunId(null);
        await Promise.all([status.reload(), runs.reload()]);
      }
    };
    let timer = setTimeout(() => void tick(), 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // Only a new run id starts a new poll (the loaders keep their identity).
  }, [activeId]);

  const syncNow = async () => {
    const queued = await start.run(() =>
      api<{ runId: string; run: Run }>('/api/admin/sync/run', { method: 'POST', body: { mode: 'incremental' } }),
    );
    if (queued) {
      setLive(queued.run);
      setRunId(queued.runId);
    }
  };
  const runPreview = async () => {
    setPreview(null);
    const result = await previewing.run(() =>
      api<Preview>('/api/admin/sync/preview', { method: 'POST', body: { mode: 'incremental' } }),
    );
    if (result) setPreview(result);
  };
  const s = status.data;
  const running = live && isActive(live.status) ? live : null;
  const progress = running ? progressOf(running) : null;
  const history = runs.data?.items ?? [];

  return (
    <>
      <PageHeading>Sync</PageHeading>
      <ErrorBar error={status.error} />
      {status.loading && !s ? <Loading /> : null}
      {s ? (
        <Section title="Schedule">
          {!s.connected ? (
            <Notice intent="warning" title="No tenant is connected.">
              Open <AppLink to="/connection">Connection</AppLink> and connect a Microsoft Entra tenant first.
            </Notice>
          ) : null}
          <dl className={styles.dl}>
            <dt>Automatic sync</dt>
            <dd className={styles.dd}>{s.autoSync ? `On, every ${s.interval}` : 'Off'}</dd>
            <dt>Next run</dt>
            <dd className={styles.dd}>{s.autoSync ? when(s.nextRunAt) : 'Only when you select Sync now'}</dd>
            <dt>Last run</dt>
            <dd className={styles.dd}>
              {s.lastRun
                ? `${when(s.lastRun.startedAt)}: ${STATUS_TEXT[s.lastRun.status] ?? s.lastRun.status}`
                : 'Never'}
            </dd>
          </dl>
          <ScheduleForm autoSync={s.autoSync} interval={s.interval} onSaved={() => void status.reload()} />
          <Row>
            <Button
              appearance="primary"
              onClick={() => void syncNow()}
              disabled={start.busy || !!running || !s.connected}
            >
              Sync now
            </Button>
            <Button onClick={() => void runPreview()} disabled={previewing.busy || !!running || !s.connected}>
              {previewing.busy ? 'Previewing…' : 'Preview the next run'}
            </Button>
          </Row>
          <ErrorBar error={previewing.error} />
          {preview ? (
            <Notice
              intent={preview.wouldBeHeld ? 'warning' : 'info'}
              title="The next run would change, without applying it:"
            >
              {preview.run.counts.created} created, {preview.run.counts.updated} updated,{' '}
              {preview.run.counts.deactivated} deactivated, {preview.run.counts.reactivated} reactivated.{' '}
              {preview.wouldBeHeld
                ? `It would be held for your confirmation: ${preview.guard?.text ?? ''}`
                : 'Nothing would be held.'}{' '}
              <AppLink to={`/sync/runs/${preview.run.id}`}>See who</AppLink>.
            </Notice>
          ) : null}
          <ErrorBar error={start.error} />
          <ErrorBar error={poll.error} />
          {running && progress ? (
            <Field label="Sync in progress" validationMessage={progress.text} validationState="none">
              <ProgressBar value={progress.value} thickness="large" aria-valuetext={progress.text} />
            </Field>
          ) : null}
          {live && !isActive(live.status) ? (
            <Notice intent={live.status === 'failed' ? 'warning' : 'success'} title="The sync has finished.">
              {STATUS_TEXT[live.status] ?? live.status}: {live.counts.created} created, {live.counts.updated} updated,{' '}
              {live.counts.deactivated} deactivated, {live.counts.failed} failed.{' '}
              <AppLink to={`/sync/runs/${live.id}`}>See who changed</AppLink>.
            </Notice>
          ) : null}
        </Section>
      ) : null}

      {s?.heldRuns.length ? (
        <Section title="Held runs">
          <Notice intent="warning" title="A run waits for your decision.">
            It would deactivate more people than the safety threshold allows. Review who would be deactivated, then
            confirm or discard.
          </Notice>
          <ul>
            {s.heldRuns.map((run) => (
              <li key={run.id}>
                <AppLink to={`/sync/runs/${run.id}`}>
                  Run of {when(run.startedAt)}: {run.pendingDeactivations} to deactivate, {run.stillDue} still due
                </AppLink>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      <Section title="Recent runs">
        <ErrorBar error={runs.error} />
        {history.length ? <RunsChart runs={history} /> : <p>No run yet.</p>}
      </Section>

      {history.length ? (
        <Section title="History">
          <Scroll label="Sync history">
            <Table aria-label="Sync history" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Started</TableHeaderCell>
                  <TableHeaderCell>Trigger</TableHeaderCell>
                  <TableHeaderCell>Status</TableHeaderCell>
                  <TableHeaderCell>Created</TableHeaderCell>
                  <TableHeaderCell>Updated</TableHeaderCell>
                  <TableHeaderCell>Deactivated</TableHeaderCell>
                  <TableHeaderCell>Failed</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {history.map((run) => (
                  <TableRow key={run.id}>
                    <TableCell>
                      <AppLink to={`/sync/runs/${run.id}`}>{when(run.startedAt)}</AppLink>
                    </TableCell>
                    <TableCell>
                      {TRIGGER_TEXT[run.trigger] ?? run.trigger}
                      {run.mode === 'full' ? ' (full)' : ''}
                    </TableCell>
                    <TableCell>{STATUS_TEXT[run.status] ?? run.status}</TableCell>
                    <TableCell>{run.counts.created}</TableCell>
                    <TableCell>{run.counts.updated}</TableCell>
                    <TableCell>{run.counts.deactivated}</TableCell>
                    <TableCell>{run.counts.failed}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Scroll>
        </Section>
      ) : null}
    </>
  );
}

/** Created, updated, deactivated and failed per run, oldest on the left; the table below holds the numbers. */
function RunsChart({ runs }: { runs: Run[] }) {
  const styles = useStyles();
  const shown = [...runs].reverse().slice(-20);
  const max = Math.max(1, ...shown.flatMap((r) => SERIES.map((s) => r.counts[s.key])));
  const width = 720;
  const height = 160;
  const slot = width / Math.max(shown.length, 1);
  const bar = Math.max(2, (slot - 8) / SERIES.length);
  const total = shown.reduce((sum, r) => sum + SERIES.reduce((n, s) => n + r.counts[s.key], 0), 0);
  return (
    <figure style={{ margin: 0 }}>
      <svg
        className={styles.chart}
        viewBox={`0 0 ${width} ${height + 4}`}
        role="img"
        aria-label={`Changes of ${shown.length === 1 ? 'the last run' : `the last ${shown.length} runs`}: ${total} in all; the history table lists them per run.`}
      >
        <line x1={0} y1={height} x2={width} y2={height} stroke={tokens.colorNeutralStroke1} />
        {shown.map((run, i) =>
          SERIES.map((s, j) => {
            const h = (run.counts[s.key] / max) * (height - 8);
            return (
              <rect
                key={`${run.id}-${s.key}`}
                x={i * slot + 4 + j * bar}
                y={height - h}
                width={bar - 1}
                height={h}
                fill={s.color}
              />
            );
          }),
        )}
      </svg>
      <figcaption>
        <ul className={styles.legend}>
          {SERIES.map((s) => (
            <li key={s.key}>
              <span className={styles.swatch} style={{ backgroundColor: s.color }} aria-hidden="true" />
              {s.label}
            </li>
          ))}
          <li className={styles.muted}>Oldest on the left; highest bar {max}.</li>
        </ul>
      </figcaption>
    </figure>
  );
}
