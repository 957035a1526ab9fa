import type { ReactNode } from 'react';
import { Spinner } from '@fluentui/react-components';
import { Shell, type NavItem } from './components/Shell';
import { ErrorBar } from './components/ui';
import { useLocation } from './router';
import { useSession } from './session';
import { SignInPage } from './pages/SignIn';
import { MyProfilePage } from './pages/MyProfile';
import { NotFoundPage } from './pages/NotFound';
import { adminNav, adminRoute } from './admin-routes';

const EMPLOYEE_NAV: NavItem[] = [{ to: '/', label: 'My profile' }];

/** Signed out: the sign-in page. Signed in: the pages of an administrator, or an employee's own. */
export function App() {
  const { view, error } = useSession();
  const { path } = useLocation();
  if (!view) return error ? <ErrorBar error={error} /> : <Spinner label="Loading" />;
  if (!view.user) return <SignInPage />;
  let page: ReactNode;
  if (view.user.isAdmin) {
    page = path === '/me' ? <MyProfilePage /> : (adminRoute(path) ?? <NotFoundPage />);
    return <Shell nav={[...adminNav, { to: '/me', label: 'My profile' }]}>{page}</Shell>;
  }
  page = path === '/' || path === '/me' ? <MyProfilePage /> : <NotFoundPage />;
  return <Shell nav={EMPLOYEE_NAV}>{page}</Shell>;
}
