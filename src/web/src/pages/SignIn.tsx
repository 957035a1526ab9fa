import { useState, type FormEvent } from 'react';
import { Button, Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import { api } from '../api';
import { ErrorBar, Notice, PageHeading, useAction } from '../components/ui';
import { SIGN_IN_ERRORS } from '../problems';
import { useSession } from '../session';

const useStyles = makeStyles({
  page: { maxWidth: '440px', margin: '48px auto', padding: '0 16px' },
  card: {
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow8,
    borderRadius: tokens.borderRadiusLarge,
    padding: '24px',
    display: 'flex',
    flexDirection: 'column',
    gap: '16px',
  },
  local: {
    display: 'flex',
    flexDirection: 'column',
    gap: '8px',
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    paddingTop: '16px',
  },
  h2: { fontSize: tokens.fontSizeBase400, margin: 0 },
});

/** Sign-in: with Microsoft for people of the connected tenant; with the administrator token for the first set-up. */
export function SignInPage() {
  const styles = useStyles();
  const { view, refresh } = useSession();
  const [token, setToken] = useState('');
  const action = useAction();
  const params = new URLSearchParams(window.location.search);
  const failed = SIGN_IN_ERRORS[params.get('signInError') ?? ''];
  const options = view?.signInOptions ?? { microsoft: false, local: false };
  const returnTo = window.location.pathname === '/' ? '' : `?returnTo=${encodeURIComponent(window.location.pathname)}`;

  const signInLocally = async (event: FormEvent) => {
    event.preventDefault();
    const done = await action.run(() => api('/auth/local', { method: 'POST', body: { token } }));
    if (done) {
      window.history.replaceState(null, '', window.location.pathname === '/' ? '/' : window.location.pathname);
      await refresh();
    }
  };
  return (
    <main className={styles.page} id="main">
      <div className={styles.card}>
        <PageHeading>Sign in</PageHeading>
        <p>Entra HR Connector keeps your HR system in step with Microsoft Entra ID.</p>
        {failed ? <ErrorBar error={failed} /> : null}
        {options.microsoft ? (
          <Button appearance="primary" size="large" as="a" href={`/auth/sign-in${returnTo}`}>
            Sign in with Microsoft
          </Button>
        ) : (
          <Notice intent="info" title="No Microsoft Entra tenant is connected yet.">
            An administrator signs in with the administrator token first and connects the tenant.
          </Notice>
        )}
        {options.local ? (
          <form className={styles.local} onSubmit={(e) => void signInLocally(e)}>
            <h2 className={styles.h2}>First set-up</h2>
            <Field label="Administrator token" hint="From ADMIN_TOKEN, or the file DATA_DIR/admin-token on the server.">
              <Input type="password" value={token} onChange={(_e, d) => setToken(d.value)} autoComplete="off" />
            </Field>
            <ErrorBar error={action.error} />
            <Button type="submit" disabled={action.busy || token.length < 16}>
              Sign in as administrator
            </Button>
          </form>
        ) : null}
      </div>
    </main>
  );
}
