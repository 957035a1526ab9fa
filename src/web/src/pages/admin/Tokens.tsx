import { useState, type FormEvent } from 'react';
import {
  Button,
  Field,
  Input,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
} from '@fluentui/react-components';
import { api } from '../../api';
import {
  Confirm,
  ErrorBar,
  ListStatus,
  Notice,
  PageHeading,
  Scroll,
  Section,
  useAction,
  useLoad,
  when,
} from '../../components/ui';
import { useSession } from '../../session';
import type { ApiToken, IssuedToken, Page } from '../../types';

const useStyles = makeStyles({
  form: { display: 'flex', flexWrap: 'wrap', gap: '8px', alignItems: 'end', marginBottom: '12px' },
  secret: { fontFamily: 'monospace', overflowWrap: 'anywhere', display: 'block', margin: '8px 0' },
});

const STATUS: Record<string, string> = { active: 'Active', expired: 'Expired', revoked: 'Revoked' };

/**
 * The tokens Microsoft Entra provisioning (SCIM) sends: create one (shown once, to paste into the
 * enterprise application's Provisioning page), see when each was last used, revoke.
 */
export function TokensPage() {
  const styles = useStyles();
  const { view } = useSession();
  const tokens = useLoad(() => api<Page<ApiToken>>('/api/admin/tokens?scope=scim'), []);
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const create = useAction();
  const revoke = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setIssued(null);
    const token = await create.run(() =>
      api<IssuedToken>(`/api/admin/users/${view!.user!.id}/tokens`, {
        method: 'POST',
        body: { name, scope: 'scim', ...(expires ? { expiresAt: `${expires}T00:00:00Z` } : {}) },
      }),
    );
    if (token) {
      setIssued(token);
      setName('');
      setExpires('');
      await tokens.reload();
    }
  };
  const doRevoke = async () => {
    const token = revoking!;
    setRevoking(null);
    if (await revoke.run(() => api<ApiToken>(`/api/admin/tokens/${token.id}`, { method: 'DELETE' })))
      await tokens.reload();
  };

  return (
    <>
      <PageHeading>SCIM tokens</PageHeading>
      <Section title="New token">
        <p>
          Microsoft Entra provisioning sends this token to {window.location.origin}/scim/v2. Paste it as the Secret
          Token on the enterprise application's Provisioning page.
        </p>
        <form className={styles.form} onSubmit={(e) => void submit(e)}>
          <Field label="Token name" hint="Say where it is used, e.g. Entra provisioning.">
            <Input value={name} onChange={(_e, d) => setName(d.value)} />
          </Field>
          <Field label="Expires on" hint="Optional.">
            <Input type="date" value={expires} onChange={(_e, d) => setExpires(d.value)} />
          </Field>
          <Button type="submit" appearance="primary" disabled={create.busy || !name.trim()}>
            Create token
          </Button>
        </form>
        <ErrorBar error={create.error} />
        {issued ? (
          <Notice intent="success" title="Copy the token now: it is shown only this once.">
            <code className={styles.secret} aria-label="New token value">
              {issued.token}
            </code>
            <Button size="small" onClick={() => void navigator.clipboard?.writeText(issued.token)}>
              Copy
            </Button>
          </Notice>
        ) : null}
      </Section>
      <Section title="Tokens">
        <ErrorBar error={revoke.error} />
        <ListStatus list={tokens} empty="No SCIM token yet." />
        {tokens.data?.items.length ? (
          <Scroll label="SCIM tokens">
            <Table aria-label="SCIM tokens" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Name</TableHeaderCell>
                  <TableHeaderCell>Status</TableHeaderCell>
                  <TableHeaderCell>Created</TableHeaderCell>
                  <TableHeaderCell>Last used</TableHeaderCell>
                  <TableHeaderCell>Expires</TableHeaderCell>
                  <TableHeaderCell>Action</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {tokens.data.items.map((t) => (
                  <TableRow key={t.id}>
                    <TableCell>{t.name}</TableCell>
                    <TableCell>{STATUS[t.status] ?? t.status}</TableCell>
                    <TableCell>{when(t.createdAt)}</TableCell>
                    <TableCell>{t.lastUsedAt ? when(t.lastUsedAt) : 'Never'}</TableCell>
                    <TableCell>{t.expiresAt ? when(t.expiresAt) : 'Never'}</TableCell>
                    <TableCell>
                      {t.status === 'active' ? (
                        <Button size="small" aria-label={`Revoke ${t.name}`} onClick={() => setRevoking(t)}>
                          Revoke
                        </Button>
                      ) : (
                        '–'
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Scroll>
        ) : null}
      </Section>
      <Confirm
        open={revoking !== null}
        title={`Revoke ${revoking?.name ?? 'the token'}?`}
        confirmLabel="Revoke"
        onConfirm={() => void doRevoke()}
        onCancel={() => setRevoking(null)}
      >
        Entra provisioning stops working with it at once, until you give it a new token.
      </Confirm>
    </>
  );
}
