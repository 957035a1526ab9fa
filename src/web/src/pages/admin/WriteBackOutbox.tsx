import { useState } from 'react';
import {
  Button,
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
  ListStatus,
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
import type { Page, WriteBackChange } from '../../types';

const useStyles = makeStyles({
  filter: { display: 'flex', flexWrap: 'wrap', gap: '8px', alignItems: 'center', marginBottom: '12px' },
});

const STATUS: Record<WriteBackChange['status'], string> = {
  pending: 'Waiting to be sent',
  sent: 'Sent',
  skipped: 'Skipped',
  failed: 'Failed',
  cancelled: 'Cancelled',
  discarded: 'Discarded',
};
const ACTION: Record<WriteBackChange['action'], string> = {
  update: 'Change fields',
  create: 'Create the Entra user',
  delete: 'Delete the Entra user',
};

/** What the change does, in words: the fields of an update. */
function whatOf(change: WriteBackChange): string {
  if (change.action !== 'update' || change.fields.length === 0) return ACTION[change.action];
  return `${ACTION.update}: ${change.fields.map(labelOf).join(', ')}`;
}

/** Why it is in its state: Graph's answer, or the reason write-back gave. */
function whyOf(change: WriteBackChange): string {
  const graph = change.errorCode ? `Microsoft Graph said ${change.errorStatus ?? ''} ${change.errorCode}`.trim() : '';
  return [change.reason, graph].filter(Boolean).join('. ') || '–';
}

/**
 * Write-back's outbox (docs/rules.md §4): every change HR made for Entra, whether it was sent,
 * skipped or failed and why; a failed, skipped or cancelled one can be sent again, a waiting or
 * failed one discarded.
 */
export function WriteBackOutboxPage() {
  const styles = useStyles();
  const [status, setStatus] = useState('');
  const changes = useLoad(
    () => api<Page<WriteBackChange>>(`/api/admin/write-back/changes${qs({ status, limit: 200 })}`),
    [status],
  );
  const act = useAction();
  const [discarding, setDiscarding] = useState<WriteBackChange | null>(null);

  const retry = async (change: WriteBackChange) => {
    if (await act.run(() => api(`/api/admin/write-back/changes/${change.id}/retry`, { method: 'POST' })))
      await changes.reload();
  };
  const discard = async () => {
    const change = discarding!;
    setDiscarding(null);
    if (await act.run(() => api(`/api/admin/write-back/changes/${change.id}/discard`, { method: 'POST' })))
      await changes.reload();
  };

  return (
    <>
      <PageHeading>Write-back outbox</PageHeading>
      <Section title="Changes for Microsoft Entra">
        <p>
          Each change HR makes for Microsoft Entra waits here until it is sent, usually within seconds. Turn write-back
          on or off and choose its fields on <AppLink to="/settings">Settings</AppLink>.
        </p>
        <div className={styles.filter}>
          <label htmlFor="write-back-status">Show</label>
          <Select id="write-back-status" value={status} onChange={(_e, d) => setStatus(d.value)}>
            <option value="">All</option>
            {Object.entries(STATUS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
          <Button onClick={() => void changes.reload()}>Refresh</Button>
        </div>
        <ErrorBar error={act.error} />
        <ListStatus list={changes} empty="No change here." />
        {changes.data?.items.length ? (
          <Scroll label="Write-back changes">
            <Table aria-label="Write-back changes" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Person</TableHeaderCell>
                  <TableHeaderCell>Change</TableHeaderCell>
                  <TableHeaderCell>Status</TableHeaderCell>
                  <TableHeaderCell>Why</TableHeaderCell>
                  <TableHeaderCell>Made</TableHeaderCell>
                  <TableHeaderCell>Action</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {changes.data.items.map((c) => (
                  <TableRow key={c.id}>
                    <TableCell>
                      {c.hrUserId ? <AppLink to={`/users/${c.hrUserId}`}>{c.email ?? c.hrUserId}</AppLink> : c.email}
                    </TableCell>
                    <TableCell>{whatOf(c)}</TableCell>
                    <TableCell>
                      {STATUS[c.status]}
                      {c.attempts > 1 ? ` (${c.attempts} attempts)` : ''}
                    </TableCell>
                    <TableCell>{whyOf(c)}</TableCell>
                    <TableCell>{when(c.createdAt)}</TableCell>
                    <TableCell>
                      <Row>
                        {['failed', 'skipped', 'cancelled'].includes(c.status) ? (
                          <Button
                            size="small"
                            aria-label={`Send again: ${whatOf(c)} for ${c.email ?? 'this person'}`}
                            disabled={act.busy}
                            onClick={() => void retry(c)}
                          >
                            Send again
                          </Button>
                        ) : null}
                        {['pending', 'failed'].includes(c.status) ? (
                          <Button
                            size="small"
                            aria-label={`Discard: ${whatOf(c)} for ${c.email ?? 'this person'}`}
                            disabled={act.busy}
                            onClick={() => setDiscarding(c)}
                          >
                            Discard
                          </Button>
                        ) : null}
                        {['sent', 'discarded'].includes(c.status) ? '–' : null}
                      </Row>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Scroll>
        ) : null}
        {changes.data?.next ? <p>More changes exist: choose a status to narrow the list.</p> : null}
      </Section>
      <Confirm
        open={discarding !== null}
        title="Discard this change?"
        confirmLabel="Discard"
        onConfirm={() => void discard()}
        onCancel={() => setDiscarding(null)}
      >
        {discarding ? `${whatOf(discarding)} for ${discarding.email ?? 'this person'} is never sent to Entra.` : ''}
      </Confirm>
    </>
  );
}
