import type { ReactNode } from 'react';
import type { NavItem } from './components/Shell';
import { PageHeading } from './components/ui';

/** The administrator's pages, in the order of the navigation. */
export const adminNav: NavItem[] = [{ to: '/', label: 'Sync' }];

export function adminRoute(path: string): ReactNode | null {
  if (path === '/') return <PageHeading>Sync</PageHeading>;
  return null;
}
