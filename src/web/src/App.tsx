import type { ReactNode } from 'react';
import { Spinner } from '@fluentui/react-components';
import { Shell, type NavItem } from './components/Shell';
import { ErrorBar } from './components/ui';
import { useLocation } from './router';
import { useSession } from './session';
import { SignInPage } from './pages/SignIn';
import { MyProfilePage } from './pages/MyProfile';
import { MyCalendarPage } from './pages/MyCalendar';
import { NotFoundPage } from './pages/NotFound';
import { adminNav, adminRoute } from './admin-routes';

const EMPLOYEE_NAV: NavItem[] = [
  { to: '/', label: 'My profile' },
  { to: '/calendar', label: 'My calendars' },
];

/** The pages every signed-in person has for themselves. */
function ownPage(path: string): ReactNode | null {
  if (path === '/me') return <MyProfilePage />;
  if (path === '/calendar') return <MyCalendarPage />;
  return null;
}

/** Signed out: the sign-in page. Signed in: the pages of an administrator, or an employee's own. */
export function App() {
  const { view, error } = useSession();
  const { path } = useLocation();
  if (!view) return error ? <ErrorBar error={error} /> : <Spinner label="Loading" />;
  if (!view.user) return <SignInPage />;
  let page: ReactNode;
  if (view.user.isAdmin) {
    page = ownPage(path) ?? adminRoute(path) ?? <NotFoundPage />;
    return (
      <Shell nav={[...adminNav, { to: '/me', label: 'My profile' }, { to: '/calendar', label: 'My calendars' }]}>
        {page}
      </Shell>
    );
  }
  page = path === '/' ? <MyProfilePage /> : (ownPage(path) ?? <NotFoundPage />);
  return <Shell nav={EMPLOYEE_NAV}>{page}</Shell>;
}
