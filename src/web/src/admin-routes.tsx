import type { ReactNode } from 'react';
import type { NavItem } from './components/Shell';
import { ConnectionPage } from './pages/admin/Connection';
import { GroupsPage } from './pages/admin/Groups';
import { SyncPage } from './pages/admin/Sync';
import { SyncRunPage } from './pages/admin/SyncRun';

/** The administrator's pages, in the order of the navigation. */
export const adminNav: NavItem[] = [
  { to: '/', label: 'Sync' },
  { to: '/connection', label: 'Connection' },
  { to: '/groups', label: 'Groups and roles' },
];

const ID = '([0-9a-fA-F-]{36})';

/** The page at `path`, or null when there is none. */
export function adminRoute(path: string): ReactNode | null {
  if (path === '/') return <SyncPage />;
  if (path === '/connection') return <ConnectionPage />;
  if (path === '/groups') return <GroupsPage />;
  const run = new RegExp(`^/sync/runs/${ID}$`).exec(path);
  if (run) return <SyncRunPage key={run[1]} id={run[1]!} />;
  return null;
}
