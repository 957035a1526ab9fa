import { useEffect, useState, type ReactNode } from 'react';
import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { AppLink, useLocation } from '../router';
import { useSession } from '../session';
import { ErrorBar, useAction } from './ui';

export interface NavItem {
  to: string;
  label: string;
}

const useStyles = makeStyles({
  skip: {
    position: 'absolute',
    left: '-10000px',
    ':focus': { left: '8px', top: '8px', zIndex: 10, backgroundColor: tokens.colorNeutralBackground1, padding: '8px' },
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: '12px',
    padding: '8px 16px',
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
    flexWrap: 'wrap',
  },
  brand: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400, flexGrow: 1 },
  who: { fontSize: tokens.fontSizeBase200 },
  body: { display: 'flex', alignItems: 'flex-start', minHeight: 'calc(100vh - 48px)', position: 'relative' },
  nav: {
    width: '220px',
    flexShrink: 0,
    padding: '12px 8px',
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
    '@media (max-width: 720px)': { display: 'none' },
  },
  navOpen: {
    '@media (max-width: 720px)': {
      display: 'block',
      position: 'absolute',
      top: 0,
      left: 0,
      right: 0,
      zIndex: 5,
      width: 'auto',
      backgroundColor: tokens.colorNeutralBackground1,
      boxShadow: tokens.shadow16,
    },
  },
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: { padding: '6px 8px' },
  current: { fontWeight: tokens.fontWeightSemibold },
  menu: { display: 'none', '@media (max-width: 720px)': { display: 'inline-flex' } },
  main: { flexGrow: 1, padding: '16px', minWidth: 0, backgroundColor: tokens.colorNeutralBackground2 },
});

/** Header, navigation (behind a Menu button on narrow screens) and the page. */
export function Shell({ nav, children }: { nav: NavItem[]; children: ReactNode }) {
  const styles = useStyles();
  const { view, signOut } = useSession();
  const { path } = useLocation();
  const [open, setOpen] = useState(false);
  const action = useAction();
  useEffect(() => setOpen(false), [path]);
  const user = view?.user;
  // The sync's run pages belong to the Sync page, the start page.
  const current = (to: string) =>
    to === '/' ? path === '/' || path.startsWith('/sync/') : path === to || path.startsWith(`${to}/`);
  return (
    <>
      <a className={styles.skip} href="#main">
        Skip to content
      </a>
      <header className={styles.header}>
        <Button
          className={styles.menu}
          appearance="subtle"
          aria-expanded={open}
          aria-controls="app-nav"
          onClick={() => setOpen(!open)}
          style={{ color: 'inherit' }}
        >
          Menu
        </Button>
        <span className={styles.brand}>Entra HR Connector</span>
        <span className={styles.who}>{user?.displayName ?? user?.email}</span>
        <Button appearance="secondary" size="small" onClick={() => void action.run(signOut)} disabled={action.busy}>
          Sign out
        </Button>
      </header>
      <ErrorBar error={action.error} />
      <div className={styles.body}>
        <nav id="app-nav" aria-label="Pages" className={`${styles.nav} ${open ? styles.navOpen : ''}`}>
          <ul className={styles.list}>
            {nav.map((item) => (
              <li key={item.to} className={`${styles.item} ${current(item.to) ? styles.current : ''}`}>
                <AppLink to={item.to} aria-current={current(item.to) ? 'page' : undefined}>
                  {item.label}
                </AppLink>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" className={styles.main}>
          {children}
        </main>
      </div>
    </>
  );
}
