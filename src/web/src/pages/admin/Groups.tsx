import { useState, type FormEvent } from 'react';
import {
  Badge,
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
import { ErrorBar, Loading, Notice, PageHeading, Scroll, Section, useAction, useLoad } from '../../components/ui';
import type { Group, Page, Role, RoleMapping } from '../../types';

const useStyles = makeStyles({
  search: { display: 'flex', flexWrap: 'wrap', gap: '8px', alignItems: 'end', marginBottom: '12px' },
  grow: { flexGrow: 1, minWidth: '200px' },
});

/** Why a protected role is locked (docs/rules.md 5.3), shown beside it and when a mapping to it is refused. */
export const PROTECTED_REASON =
  'Administrator roles are protected: no group mapping may give or take them, so that a change in Microsoft Entra can never make or unmake an administrator. Give this role to a person on the HR users page.';

const members = (count: number | null) => (count === null ? 'Not synced yet' : String(count));

/**
 * Synced groups (whose members become HR users) chosen from the tenant's groups, and which Entra
 * group gives which HR role; protected roles are shown locked with the reason.
 */
export function GroupsPage() {
  const styles = useStyles();
  const synced = useLoad(() => api<Page<Group>>('/api/admin/synced-groups'), []);
  const roles = useLoad(() => api<Page<Role>>('/api/admin/roles'), []);
  const mappings = useLoad(() => api<Page<RoleMapping>>('/api/admin/role-mappings'), []);
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<Group[] | null>(null);
  const [groupId, setGroupId] = useState('');
  const [roleId, setRoleId] = useState('');
  const [newRole, setNewRole] = useState('');
  const [mapped, setMapped] = useState<string | null>(null);
  const searching = useAction();
  const choosing = useAction();
  const mapping = useAction();
  const creatingRole = useAction();
  const syncedGroups = synced.data?.items ?? [];
  const syncedIds = new Set(syncedGroups.map((g) => g.id));
  const allRoles = roles.data?.items ?? [];
  const chosenRole = allRoles.find((r) => r.id === roleId);

  const find = async (event: FormEvent) => {
    event.preventDefault();
    const result = await searching.run(() => api<Page<Group>>(`/api/admin/groups${qs({ search, top: 50 })}`));
    if (result) setFound(result.items);
  };
  const replace = async (ids: string[]) => {
    const result = await choosing.run(() =>
      api<Page<Group>>('/api/admin/synced-groups', { method: 'PUT', body: { groupIds: ids } }),
    );
    if (result) synced.setData(result);
  };
  const map = async (event: FormEvent) => {
    event.preventDefault();
    setMapped(null);
    const result = await mapping.run(() =>
      api<RoleMapping>('/api/admin/role-mappings', { method: 'POST', body: { groupId, roleId } }),
    );
    if (result) {
      setMapped(`${result.groupDisplayName} now gives the role ${result.roleName}.`);
      await Promise.all([mappings.reload(), roles.reload()]);
    }
  };
  const unmap = async (id: string) => {
    await mapping.run(() => api(`/api/admin/role-mappings/${id}`, { method: 'DELETE' }));
    await Promise.all([mappings.reload(), roles.reload()]);
  };
  const createRole = async (event: FormEvent) => {
    event.preventDefault();
    const role = await creatingRole.run(() =>
      api<Role>('/api/admin/roles', { method: 'POST', body: { name: newRole } }),
    );
    if (role) {
      setNewRole('');
      await roles.reload();
    }
  };
  // A mapping can be made for a synced group, or for one just found.
  const groupChoices = [...syncedGroups, ...(found ?? []).filter((g) => !syncedIds.has(g.id))];

  return (
    <>
      <PageHeading>Groups and roles</PageHeading>
      <Section title="Synced groups">
        <p>Members of these Microsoft Entra groups become HR users; nested groups count too.</p>
        <ErrorBar error={synced.error} />
        <ErrorBar error={choosing.error} />
        {synced.loading && !synced.data ? <Loading /> : null}
        {synced.data && syncedGroups.length === 0 ? <p>No group is synced yet: search for one below.</p> : null}
        {syncedGroups.length ? (
          <Scroll label="Synced groups">
            <Table aria-label="Synced groups" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Group</TableHeaderCell>
                  <TableHeaderCell>Members</TableHeaderCell>
                  <TableHeaderCell>Action</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {syncedGroups.map((g) => (
                  <TableRow key={g.id}>
                    <TableCell>{g.displayName ?? g.id}</TableCell>
                    <TableCell>{members(g.memberCount)}</TableCell>
                    <TableCell>
                      <Button
                        size="small"
                        disabled={choosing.busy}
                        aria-label={`Stop syncing ${g.displayName ?? g.id}`}
                        onClick={() => void replace(syncedGroups.filter((x) => x.id !== g.id).map((x) => x.id))}
                      >
                        Stop syncing
                      </Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Scroll>
        ) : null}
      </Section>

      <Section title="Find groups in the tenant">
        <form className={styles.search} onSubmit={(e) => void find(e)} role="search">
          <Field label="Group name" hint="One or more words of the name." className={styles.grow}>
            <Input value={search} onChange={(_e, d) => setSearch(d.value)} />
          </Field>
          <Button type="submit" appearance="primary" disabled={searching.busy}>
            Search groups
          </Button>
        </form>
        <ErrorBar error={searching.error} />
        {found && found.length === 0 ? <p>No group matches. Try a whole word of the group's name.</p> : null}
        {found?.length ? (
          <Scroll label="Groups found">
            <Table aria-label="Groups found" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Group</TableHeaderCell>
                  <TableHeaderCell>Description</TableHeaderCell>
                  <TableHeaderCell>Members</TableHeaderCell>
                  <TableHeaderCell>Action</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {found.map((g) => (
                  <TableRow key={g.id}>
                    <TableCell>{g.displayName ?? g.id}</TableCell>
                    <TableCell>{g.description ?? ''}</TableCell>
                    <TableCell>{g.memberCount ?? 'Not counted'}</TableCell>
                    <TableCell>
                      {syncedIds.has(g.id) ? (
                        'Synced'
                      ) : (
                        <Button
                          size="small"
                          disabled={choosing.busy}
                          aria-label={`Sync ${g.displayName ?? g.id}`}
                          onClick={() => void replace([...syncedGroups.map((x) => x.id), g.id])}
                        >
                          Sync
                        </Button>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Scroll>
        ) : null}
      </Section>

      <Section title="Roles">
        <ErrorBar error={roles.error} />
        {allRoles.length ? (
          <Scroll label="Roles">
            <Table aria-label="Roles" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Role</TableHeaderCell>
                  <TableHeaderCell>People</TableHeaderCell>
                  <TableHeaderCell>Given by groups</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {allRoles.map((r) => (
                  <TableRow key={r.id}>
                    <TableCell>
                      {r.name}{' '}
                      {r.protected ? (
                        <Badge appearance="outline" color="important">
                          <span aria-hidden="true">🔒</span>&nbsp;Protected
                        </Badge>
                      ) : null}
                    </TableCell>
                    <TableCell>{r.holders}</TableCell>
                    <TableCell>
                      {r.protected
                        ? 'Locked: ' + PROTECTED_REASON
                        : r.mappedGroups.map((g) => g.groupDisplayName).join(', ') || 'None'}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Scroll>
        ) : null}
        <form className={styles.search} onSubmit={(e) => void createRole(e)}>
          <Field label="New role name" className={styles.grow}>
            <Input value={newRole} onChange={(_e, d) => setNewRole(d.value)} />
          </Field>
          <Button type="submit" disabled={creatingRole.busy || !newRole.trim()}>
            Create role
          </Button>
        </form>
        <ErrorBar error={creatingRole.error} />
      </Section>

      <Section title="Group-to-role mappings">
        <p>Members of a mapped group get its role in HR when role sync is on.</p>
        <ErrorBar error={mappings.error} />
        {mappings.data?.items.length ? (
          <Scroll label="Mappings">
            <Table aria-label="Mappings" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Group</TableHeaderCell>
                  <TableHeaderCell>Role</TableHeaderCell>
                  <TableHeaderCell>Action</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {mappings.data.items.map((m) => (
                  <TableRow key={m.id}>
                    <TableCell>{m.groupDisplayName}</TableCell>
                    <TableCell>{m.roleName}</TableCell>
                    <TableCell>
                      <Button
                        size="small"
                        aria-label={`Remove mapping of ${m.groupDisplayName} to ${m.roleName}`}
                        onClick={() => void unmap(m.id)}
                        disabled={mapping.busy}
                      >
                        Remove
                      </Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Scroll>
        ) : (
          <p>No mapping yet.</p>
        )}
        <form className={styles.search} onSubmit={(e) => void map(e)}>
          <Field label="Group" className={styles.grow}>
            <Select value={groupId} onChange={(_e, d) => setGroupId(d.value)}>
              <option value="">Choose a group</option>
              {groupChoices.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.displayName ?? g.id}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Role" className={styles.grow}>
            <Select value={roleId} onChange={(_e, d) => setRoleId(d.value)}>
              <option value="">Choose a role</option>
              {allRoles.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.protected ? `${r.name} (protected)` : r.name}
                </option>
              ))}
            </Select>
          </Field>
          <Button type="submit" appearance="primary" disabled={mapping.busy || !groupId || !roleId}>
            Map group to role
          </Button>
        </form>
        {chosenRole?.protected ? (
          <Notice intent="warning" title={`${chosenRole.name} is protected.`}>
            {PROTECTED_REASON}
          </Notice>
        ) : null}
        <ErrorBar error={mapping.error} />
        {mapped ? <Notice intent="success">{mapped}</Notice> : null}
      </Section>
    </>
  );
}
