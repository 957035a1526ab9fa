import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import { api } from '../api';
import {
  ErrorBar,
  Loading,
  Notice,
  PageHeading,
  Scroll,
  Section,
  byFieldOrder,
  labelOf,
  useLoad,
  when,
} from '../components/ui';
import type { HrUserDetail } from '../types';

const SOURCES: Record<string, string> = { entra: 'Microsoft Entra', hr: 'HR', scim: 'Entra provisioning' };

/** The signed-in person's own HR record: each field, where it came from and when. */
export function MyProfilePage() {
  const profile = useLoad(() => api<HrUserDetail>('/api/me/profile'), []);
  const user = profile.data;
  return (
    <>
      <PageHeading>My profile</PageHeading>
      <ErrorBar error={profile.error} />
      {profile.loading && !user ? <Loading /> : null}
      {user ? (
        <>
          <Section title="Account">
            <p>
              {user.email} · {user.active ? 'Active' : `Deactivated (${user.deactivatedReason ?? 'no reason given'})`}
              {user.roles.length ? ` · Roles: ${user.roles.join(', ')}` : ''}
            </p>
            <Notice intent="info">
              Fields that come from Microsoft Entra change there: ask your IT administrator. Ask HR to change the
              others.
            </Notice>
          </Section>
          <Section title="Fields">
            <Scroll label="Profile fields">
              <Table aria-label="Profile fields" size="small">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Field</TableHeaderCell>
                    <TableHeaderCell>Value</TableHeaderCell>
                    <TableHeaderCell>Comes from</TableHeaderCell>
                    <TableHeaderCell>Changed</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {Object.entries(user.fields)
                    .sort(([a], [b]) => byFieldOrder(a, b))
                    .map(([field, value]) => (
                      <TableRow key={field}>
                        <TableCell>{labelOf(field)}</TableCell>
                        <TableCell>{value.value ?? '–'}</TableCell>
                        <TableCell>{value.source ? (SOURCES[value.source] ?? value.source) : '–'}</TableCell>
                        <TableCell>{when(value.changedAt)}</TableCell>
                      </TableRow>
                    ))}
                </TableBody>
              </Table>
            </Scroll>
          </Section>
        </>
      ) : null}
    </>
  );
}
