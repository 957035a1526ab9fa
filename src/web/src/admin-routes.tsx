import type { ReactNode } from 'react';
import type { NavItem } from './components/Shell';
import { ConnectionPage } from './pages/admin/Connection';
import { GroupsPage } from './pages/admin/Groups';
import { InvitationsPage } from './pages/admin/Invitations';
import { SettingsPage } from './pages/admin/Settings';
import { SyncPage } from './pages/admin/Sync';
import { SyncRunPage } from './pages/admin/SyncRun';
import { TokensPage } from './pages/admin/Tokens';
import { ProfilesPage, UserPage, UsersPage } from './pages/admin/Users';
import { WriteBackOutboxPage } from './pages/admin/WriteBackOutbox';

/** The administrator's pages, in the order of the navigation. */
export const adminNav: NavItem[] = [
  { to: '/', label: 'Sync' },
  { to: '/connection', label: 'Connection' },
  { to: '/groups', label: 'Groups and roles' },
  { to: '/settings', label: 'Settings' },
  { to: '/write-back', label: 'Write-back outbox' },
  { to: '/tokens', label: 'SCIM tokens' },
  { to: '/users', label: 'HR users' },
  { to: '/profiles', label: 'Employee profiles' },
  { to: '/invitations', label: 'Invitations' },
];

const ID = '([0-9a-fA-F-]{36})';
const PAGES: Record<string, () => ReactNode> = {
  '/': () => <SyncPage />,
  '/connection': () => <ConnectionPage />,
  '/groups': () => <GroupsPage />,
  '/settings': () => <SettingsPage />,
  '/write-back': () => <WriteBackOutboxPage />,
  '/tokens': () => <TokensPage />,
  '/users': () => <UsersPage />,
  '/profiles': () => <ProfilesPage />,
  '/invitations': () => <InvitationsPage />,
};

/** The page at `path`, or null when there is none. */
export function adminRoute(path: string): ReactNode | null {
  const page = PAGES[path];
  if (page) return page();
  const run = new RegExp(`^/sync/runs/${ID}$`).exec(path);
  if (run) return <SyncRunPage key={run[1]} id={run[1]!} />;
  const user = new RegExp(`^/users/${ID}$`).exec(path);
  if (user) return <UserPage key={user[1]} id={user[1]!} />;
  return null;
}
