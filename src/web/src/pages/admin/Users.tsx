import { useEffect, useState, type FormEvent } from 'react';
import {
  Badge,
  Button,
  Field,
  Input,
  Link,
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
  Loading,
  Notice,
  PageHeading,
  Scroll,
  Section,
  byFieldOrder,
  labelOf,
  useAction,
  useLoad,
  when,
} from '../../components/ui';
import { ApiError } from '../../problems';
import { AppLink, navigate } from '../../router';
import type {
  EmployeeProfile,
  FieldOwnershipRow,
  HrUserDetail,
  HrUserSummary,
  InvitationRequestAnswer,
  Page,
} from '../../types';
import { REFUSALS } from './Invitations';

const useStyles = makeStyles({
  form: { display: 'flex', flexWrap: 'wrap', gap: '8px', alignItems: 'end', marginBottom: '12px' },
  grow: { flexGrow: 1, minWidth: '200px' },
  fields: { display: 'grid', gap: '12px', maxWidth: '640px' },
});

const ORIGINS: Record<string, string> = { entra: 'Microsoft Entra', hr: 'HR', scim: 'Entra provisioning' };
const SOURCES = ORIGINS;

/** HR users, searched by e-mail or name, each linked to its page. */
export function UsersPage() {
  const styles = useStyles();
  const [search, setSearch] = useState('');
  const [applied, setApplied] = useState('');
  const users = useLoad(
    () => api<Page<HrUserSummary>>(`/api/admin/users${qs({ search: applied, limit: 100 })}`),
    [applied],
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setApplied(search.trim());
  };
  return (
    <>
      <PageHeading>HR users</PageHeading>
      <Section title="Find people">
        <form className={styles.form} onSubmit={submit} role="search" aria-label="Find people">
          <Field label="E-mail or name" className={styles.grow}>
            <Input value={search} onChange={(_e, d) => setSearch(d.value)} />
          </Field>
          <Button type="submit" appearance="primary">
            Search
          </Button>
        </form>
        <ListStatus list={users} empty="Nobody matches." />
        {users.data?.items.length ? (
          <Scroll label="HR users">
            <Table aria-label="HR users" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Person</TableHeaderCell>
                  <TableHeaderCell>Name</TableHeaderCell>
                  <TableHeaderCell>Status</TableHeaderCell>
                  <TableHeaderCell>Comes from</TableHeaderCell>
                  <TableHeaderCell>Roles</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {users.data.items.map((u) => (
                  <TableRow key={u.id}>
                    <TableCell>
                      <AppLink to={`/users/${u.id}`}>{u.email}</AppLink>
                    </TableCell>
                    <TableCell>{[u.firstName, u.lastName].filter(Boolean).join(' ') || '–'}</TableCell>
                    <TableCell>{u.active ? 'Active' : 'Deactivated'}</TableCell>
                    <TableCell>{ORIGINS[u.origin] ?? u.origin}</TableCell>
                    <TableCell>{u.roles.join(', ') || '–'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Scroll>
        ) : null}
        {users.data?.next ? <p>More people match: narrow the search.</p> : null}
      </Section>
      <Section title="Export">
        <p>
          Every HR user with every field, as a backup or for a spreadsheet:{' '}
          <Link href="/api/admin/export/hr-users?format=csv" download>
            HR users (CSV)
          </Link>
          ,{' '}
          <Link href="/api/admin/export/employee-profiles?format=csv" download>
            employee profiles (CSV)
          </Link>
          ,{' '}
          <Link href="/api/admin/export/hr-users?format=json" download>
            HR users (JSON)
          </Link>
          .
        </p>
      </Section>
    </>
  );
}

/** Why a field is read-only for this person (rule 8.5): Entra owns it, with or without an employee profile. */
function readOnlyReason(row: FieldOwnershipRow | undefined): string {
  if (row?.owner === 'entra-until-profile')
    return 'Microsoft Entra owns this field until the person has an employee profile: change it in Entra; the next sync brings it here.';
  return 'Microsoft Entra owns this field for people linked to an Entra user: change it in Entra; the next sync brings it here.';
}

/** One HR user: every field with where it came from; the fields Entra owns are read-only with the reason. */
export function UserPage({ id }: { id: string }) {
  const styles = useStyles();
  const user = useLoad(() => api<HrUserDetail>(`/api/admin/users/${id}`), [id]);
  const ownership = useLoad(() => api<Page<FieldOwnershipRow>>('/api/admin/settings/field-ownership'), []);
  const [values, setValues] = useState<Record<string, string>>({});
  const [changed, setChanged] = useState<string[] | null>(null);
  const save = useAction();
  const invite = useAction();
  const [invited, setInvited] = useState<string | null>(null);
  const u = user.data;
  const remove = useAction();
  /** What deleting would do, as the service says it; null while not asking. */
  const [deleting, setDeleting] = useState<string | null>(null);
  const askDelete = () =>
    void remove.run(async () => {
      try {
        await api(`/api/admin/users/${id}`, { method: 'DELETE' });
      } catch (error) {
        // Without its e-mail as confirmation nothing is deleted: the 400 says what deleting would do (rule 4.3).
        if (!(error instanceof ApiError && error.status === 400)) throw error;
        setDeleting((error.problem.detail ?? '').replace(/ To delete it, send confirm=.*$/, ''));
      }
    });
  const doDelete = () =>
    void remove.run(async () => {
      setDeleting(null);
      await api(`/api/admin/users/${id}${qs({ confirm: u!.email })}`, { method: 'DELETE' });
      navigate('/users');
    });
  const sendInvitation = async () => {
    setInvited(null);
    const answer = await invite.run(() =>
      api<InvitationRequestAnswer>('/api/admin/invitations', { method: 'POST', body: { hrUserIds: [id] } }),
    );
    const refused = answer?.refused[0];
    if (answer)
      setInvited(
        refused ? `${u!.email} ${REFUSALS[refused.reason]}.` : `${u!.email} gets an invitation within a minute.`,
      );
  };
  useEffect(() => {
    if (u) setValues(Object.fromEntries(Object.entries(u.fields).map(([f, v]) => [f, v.value ?? ''])));
  }, [u]);
  const rows = new Map((ownership.data?.items ?? []).map((row) => [row.field, row]));
  const entries = u ? Object.entries(u.fields).sort(([a], [b]) => byFieldOrder(a, b)) : [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChanged(null);
    const patch: Record<string, string | null> = {};
    for (const [field, view] of entries)
      if (!view.readOnly && (values[field] ?? '') !== (view.value ?? '')) patch[field] = values[field] || null;
    const result = await save.run(() =>
      api<HrUserDetail & { changed: string[] }>(`/api/admin/users/${id}`, { method: 'PATCH', body: patch }),
    );
    if (result) {
      setChanged(result.changed);
      user.setData(result);
    }
  };

  return (
    <>
      <PageHeading>{u ? [u.firstName, u.lastName].filter(Boolean).join(' ') || u.email : 'HR user'}</PageHeading>
      <p>
        <AppLink to="/users">Back to HR users</AppLink>
      </p>
      <ErrorBar error={user.error} />
      {user.loading && !u ? <Loading /> : null}
      {u ? (
        <>
          <Section title="Account">
            <p>
              {u.email} · {u.active ? 'Active' : `Deactivated: ${u.deactivatedReason ?? 'no reason given'}`} · Comes
              from {ORIGINS[u.origin] ?? u.origin}
              {u.entraId ? ' · Linked to Microsoft Entra' : ''}
              {u.hasEmployeeProfile ? ' · Has an employee profile' : ''} · Last synced {when(u.lastSyncedAt)}
            </p>
            <p>Roles: {u.roles.join(', ') || 'none'}</p>
            <Button onClick={() => void sendInvitation()} disabled={invite.busy || !u.active}>
              Send an invitation to sign in
            </Button>
            <ErrorBar error={invite.error} />
            {invited ? <Notice intent="success">{invited}</Notice> : null}
            <p>
              <Button onClick={askDelete} disabled={remove.busy}>
                Delete this HR user…
              </Button>
            </p>
            <ErrorBar error={remove.error} />
            <Confirm
              open={deleting !== null}
              title={`Delete ${u.email}?`}
              confirmLabel="Delete"
              onConfirm={doDelete}
              onCancel={() => setDeleting(null)}
            >
              {deleting}
            </Confirm>
          </Section>
          <Section title="Fields">
            <form className={styles.fields} onSubmit={(e) => void submit(e)}>
              {entries.map(([field, view]) => (
                <Field
                  key={field}
                  label={
                    <>
                      {rows.get(field)?.label ?? labelOf(field)}{' '}
                      {view.readOnly ? (
                        <Badge appearance="outline" color="informative">
                          <span aria-hidden="true">🔒</span>&nbsp;Entra
                        </Badge>
                      ) : null}
                    </>
                  }
                  hint={
                    view.readOnly
                      ? readOnlyReason(rows.get(field))
                      : `From ${view.source ? (SOURCES[view.source] ?? view.source) : 'nowhere yet'}${view.changedAt ? `, ${when(view.changedAt)}` : ''}.`
                  }
                >
                  <Input
                    value={values[field] ?? ''}
                    readOnly={view.readOnly}
                    onChange={(_e, d) => setValues({ ...values, [field]: d.value })}
                  />
                </Field>
              ))}
              <ErrorBar error={save.error} />
              {changed ? (
                <Notice intent="success" title="Saved.">
                  {changed.length ? `Changed: ${changed.map(labelOf).join(', ')}.` : 'Nothing had changed.'}
                </Notice>
              ) : null}
              <div>
                <Button type="submit" appearance="primary" disabled={save.busy}>
                  Save changes
                </Button>
              </div>
            </form>
          </Section>
        </>
      ) : null}
    </>
  );
}

/** Employee profiles (the HR system's own records), with the HR user each is connected to. */
export function ProfilesPage() {
  const styles = useStyles();
  const [search, setSearch] = useState('');
  const [applied, setApplied] = useState('');
  const profiles = useLoad(
    () => api<Page<EmployeeProfile>>(`/api/admin/employee-profiles${qs({ search: applied, limit: 100 })}`),
    [applied],
  );
  return (
    <>
      <PageHeading>Employee profiles</PageHeading>
      <Section title="Profiles">
        <form
          className={styles.form}
          role="search"
          aria-label="Find profiles"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied(search.trim());
          }}
        >
          <Field label="E-mail or name" className={styles.grow}>
            <Input value={search} onChange={(_e, d) => setSearch(d.value)} />
          </Field>
          <Button type="submit" appearance="primary">
            Search
          </Button>
        </form>
        <ListStatus list={profiles} empty="No employee profile matches." />
        {profiles.data?.items.length ? (
          <Scroll label="Employee profiles">
            <Table aria-label="Employee profiles" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Name</TableHeaderCell>
                  <TableHeaderCell>E-mail</TableHeaderCell>
                  <TableHeaderCell>Status</TableHeaderCell>
                  <TableHeaderCell>Resigns</TableHeaderCell>
                  <TableHeaderCell>HR user</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {profiles.data.items.map((p) => (
                  <TableRow key={p.id}>
                    <TableCell>{[p.firstName, p.lastName].filter(Boolean).join(' ')}</TableCell>
                    <TableCell>{p.email}</TableCell>
                    <TableCell>{labelOf(p.employmentStatus)}</TableCell>
                    <TableCell>{p.resignationDate ?? '–'}</TableCell>
                    <TableCell>
                      {p.hrUser ? (
                        <AppLink to={`/users/${p.hrUser.id}`}>
                          {p.hrUser.email}
                          {p.hrUser.active ? '' : ' (deactivated)'}
                        </AppLink>
                      ) : (
                        'Not connected'
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
