import { useState } from 'react';
import {
  Button,
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
import { api, qs } from '../../api';
import {
  ErrorBar,
  ListStatus,
  Loading,
  Notice,
  PageHeading,
  Scroll,
  Section,
  useAction,
  useLoad,
  when,
} from '../../components/ui';
import { AppLink } from '../../router';
import type { FullSettings, Invitation, InvitationRequestAnswer, Page } from '../../types';

const useStyles = makeStyles({
  filter: { display: 'flex', gap: '8px', alignItems: 'center', marginBottom: '12px' },
});

const STATUS: Record<Invitation['status'], string> = { pending: 'Waiting to be sent', sent: 'Sent', failed: 'Failed' };

/** Why someone picked could not be invited, in words. */
export const REFUSALS: Record<InvitationRequestAnswer['refused'][number]['reason'], string> = {
  inactive: 'is deactivated, so cannot sign in',
  'not-found': 'no longer exists',
};

/**
 * Invitations to sign in (docs/rules.md §8.4): the switch (off until the organisation launches), who
 * was invited, whether it went out, who has signed in since; send one again.
 */
export function InvitationsPage() {
  const styles = useStyles();
  const [status, setStatus] = useState('');
  const settings = useLoad(() => api<FullSettings>('/api/admin/settings'), []);
  const invitations = useLoad(
    () => api<Page<Invitation>>(`/api/admin/invitations${qs({ status, limit: 200 })}`),
    [status],
  );
  const toggle = useAction();
  const resend = useAction();
  const [done, setDone] = useState<string | null>(null);

  const setOn = async (on: boolean) => {
    setDone(null);
    const result = await toggle.run(() =>
      api<FullSettings>('/api/admin/settings', { method: 'PATCH', body: { invitations: on } }),
    );
    if (result) settings.setData(result);
  };
  const sendAgain = async (invitation: Invitation) => {
    setDone(null);
    const answer = await resend.run(() =>
      api<InvitationRequestAnswer>('/api/admin/invitations', {
        method: 'POST',
        body: { hrUserIds: [invitation.hrUserId] },
      }),
    );
    if (!answer) return;
    await invitations.reload();
    const refused = answer.refused[0];
    setDone(
      refused
        ? `${invitation.email} ${REFUSALS[refused.reason]}.`
        : `${invitation.email} gets the invitation again within a minute.`,
    );
  };
  const s = settings.data;
  const warning = s?.warnings.find((w) => w.setting === 'invitations');

  return (
    <>
      <PageHeading>Invitations</PageHeading>
      <Section title="Invite new people">
        <p>
          When this is on, everyone HR gets from then on (from a sync, from Entra provisioning or added in HR) receives
          an e-mail with a link to sign in. People who were here before are invited only if you invite them from their
          page. Keep it off until your organisation is ready to launch.
        </p>
        <ErrorBar error={settings.error} />
        {s ? (
          <Switch
            label={s.invitations ? 'Invitations are on' : 'Invitations are off'}
            checked={s.invitations}
            disabled={toggle.busy}
            onChange={(_e, d) => void setOn(d.checked)}
          />
        ) : (
          <Loading />
        )}
        <ErrorBar error={toggle.error} />
        {warning ? (
          <Notice intent="warning" title="Invitations cannot go out yet.">
            {warning.message}
          </Notice>
        ) : null}
      </Section>
      <Section title="Who was invited">
        <div className={styles.filter}>
          <label htmlFor="invitation-status">Show</label>
          <Select id="invitation-status" value={status} onChange={(_e, d) => setStatus(d.value)}>
            <option value="">All</option>
            <option value="pending">Waiting to be sent</option>
            <option value="sent">Sent</option>
            <option value="failed">Failed</option>
          </Select>
          <Button onClick={() => void invitations.reload()}>Refresh</Button>
        </div>
        <ErrorBar error={resend.error} />
        {done ? <Notice intent="success">{done}</Notice> : null}
        <ListStatus list={invitations} empty="Nobody has been invited yet." />
        {invitations.data?.items.length ? (
          <Scroll label="Invitations">
            <Table aria-label="Invitations" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Person</TableHeaderCell>
                  <TableHeaderCell>Status</TableHeaderCell>
                  <TableHeaderCell>Sent</TableHeaderCell>
                  <TableHeaderCell>Signed in</TableHeaderCell>
                  <TableHeaderCell>Action</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {invitations.data.items.map((i) => (
                  <TableRow key={i.hrUserId}>
                    <TableCell>
                      <AppLink to={`/users/${i.hrUserId}`}>{i.email}</AppLink>
                      {i.displayName ? ` (${i.displayName})` : ''}
                    </TableCell>
                    <TableCell>
                      {STATUS[i.status]}
                      {i.status === 'failed' && i.lastError ? `: the mail server said ${i.lastError}` : ''}
                    </TableCell>
                    <TableCell>
                      {i.sentAt ? `${when(i.sentAt)}${i.sendCount > 1 ? ` (${i.sendCount} times)` : ''}` : 'Not yet'}
                    </TableCell>
                    <TableCell>{i.signedInAt ? when(i.signedInAt) : 'Not yet'}</TableCell>
                    <TableCell>
                      <Button
                        size="small"
                        aria-label={`Send again to ${i.email}`}
                        disabled={resend.busy || !s?.invitations}
                        onClick={() => void sendAgain(i)}
                      >
                        Send again
                      </Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Scroll>
        ) : null}
        {invitations.data?.next ? <p>More invitations exist: choose a status to narrow the list.</p> : null}
      </Section>
    </>
  );
}
