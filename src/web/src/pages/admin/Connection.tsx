import { useEffect, useState, type FormEvent } from 'react';
import {
  Button,
  Field,
  Input,
  Radio,
  RadioGroup,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
} from '@fluentui/react-components';
import { api } from '../../api';
import {
  Confirm,
  ErrorBar,
  Loading,
  Notice,
  PageHeading,
  Row,
  Scroll,
  Section,
  useAction,
  useLoad,
  when,
} from '../../components/ui';
import { certificateThumbprints } from '../../certificate';
import type { Connection, ConnectionTest } from '../../types';

const useStyles = makeStyles({
  form: { display: 'grid', gap: '12px', maxWidth: '560px' },
  dl: { display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 16px', margin: 0 },
  dd: { margin: 0, overflowWrap: 'anywhere' },
});

const SOURCES: Record<string, string> = {
  configuration: 'the service configuration (environment variables)',
  admin: 'this page',
  demo: 'the built-in demo tenant',
};

/** What each application permission lets the connector do, for the test result (docs/graph.md). */
const PERMISSION_USE: Record<string, string> = {
  'User.Read.All': 'read users into HR',
  'Group.Read.All': 'find groups and read their members',
  'GroupMember.Read.All': 'read the members of synced groups',
  'User.ReadWrite.All': 'write permitted fields back to Entra',
  'Calendars.ReadWrite': 'read and write calendars',
};

/**
 * The Entra connection: tenant, application (client) id and its secret or certificate, which is sent
 * once and never shown back; "Test connection" says per permission what works, and a secret close to expiry warns.
 */
export function ConnectionPage() {
  const styles = useStyles();
  const connection = useLoad(() => api<Connection>('/api/admin/connection'), []);
  const [tenantId, setTenantId] = useState('');
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  // The app signs in with a client secret or a certificate (its private key and the certificate's thumbprint).
  const [kind, setKind] = useState<'secret' | 'certificate'>('secret');
  const [certificateFile, setCertificateFile] = useState<File | null>(null);
  const [keyFile, setKeyFile] = useState<File | null>(null);
  const [thumbprints, setThumbprints] = useState<{ sha256: string; sha1: string } | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [fileInputs, setFileInputs] = useState(0);
  const [expires, setExpires] = useState('');
  const [authorityHost, setAuthorityHost] = useState('');
  const [graphBaseUrl, setGraphBaseUrl] = useState('');
  const [saved, setSaved] = useState(false);
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const [confirmDisconnect, setConfirmDisconnect] = useState(false);
  const save = useAction();
  const tester = useAction();
  const disconnect = useAction();
  const current = connection.data;

  useEffect(() => {
    if (!current) return;
    setTenantId(current.tenantId ?? '');
    setClientId(current.clientId ?? '');
    setExpires(current.clientSecretExpiresAt?.slice(0, 10) ?? '');
    if (current.credentialKind) setKind(current.credentialKind);
  }, [current]);

  // A certificate is replaced by both files (the key, and the certificate for its thumbprint), or kept by neither.
  const certificateIncomplete =
    kind === 'certificate' && (certificateFile !== null || keyFile !== null) && !(keyFile && thumbprints);
  const pickCertificate = async (file: File | null) => {
    setCertificateFile(file);
    setThumbprints(null);
    setFileError(null);
    if (!file) return;
    try {
      setThumbprints(await certificateThumbprints(file));
    } catch (error) {
      setFileError(error instanceof Error ? error.message : 'That file could not be read.');
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const body: Record<string, unknown> = { tenantId, clientId };
    if (kind === 'secret') {
      if (secret) body.clientSecret = secret;
      if (expires) body.clientSecretExpiresAt = expires;
      else if (current?.clientSecretExpiresAt) body.clientSecretExpiresAt = null;
    } else if (keyFile && thumbprints) {
      body.certificate = { privateKeyPem: await keyFile.text(), thumbprintSha256: thumbprints.sha256 };
      body.clientSecretExpiresAt = null;
    }
    if (authorityHost) body.authorityHost = authorityHost;
    if (graphBaseUrl) body.graphBaseUrl = graphBaseUrl;
    const next = await save.run(() => api<Connection>('/api/admin/connection', { method: 'PUT', body }));
    if (next) {
      // The secret leaves the page as soon as the service has it: it is never shown or kept here.
      setSecret('');
      // The chosen files leave the page too: the file inputs start again empty.
      setKeyFile(null);
      setCertificateFile(null);
      setThumbprints(null);
      setFileInputs(fileInputs + 1);
      setSaved(true);
      connection.setData(next);
    }
  };
  const runTest = async () => {
    const result = await tester.run(() => api<ConnectionTest>('/api/admin/connection/test', { method: 'POST' }));
    if (result) {
      setTest(result);
      void connection.reload();
    }
  };
  const doDisconnect = async () => {
    setConfirmDisconnect(false);
    const next = await disconnect.run(() => api<Connection>('/api/admin/connection', { method: 'DELETE' }));
    if (next) {
      setTest(null);
      connection.setData(next);
    }
  };

  return (
    <>
      <PageHeading>Connection</PageHeading>
      <ErrorBar error={connection.error} />
      {connection.loading && !current ? <Loading /> : null}
      {current ? (
        <Section title="Status">
          {current.secretExpiryWarning ? (
            <Notice intent="warning" title="Renew the client secret.">
              {current.secretExpiryWarning} In the Microsoft Entra admin center, open the app registration, then
              Certificates &amp; secrets; enter the new secret below.
            </Notice>
          ) : null}
          <dl className={styles.dl}>
            <dt>State</dt>
            <dd className={styles.dd}>{current.connected ? 'Connected' : 'Not connected'}</dd>
            {current.source ? (
              <>
                <dt>Set by</dt>
                <dd className={styles.dd}>{SOURCES[current.source] ?? current.source}</dd>
              </>
            ) : null}
            <dt>Tenant</dt>
            <dd className={styles.dd}>{current.tenantId ?? '–'}</dd>
            <dt>Application (client) ID</dt>
            <dd className={styles.dd}>{current.clientId ?? '–'}</dd>
            <dt>Credential</dt>
            <dd className={styles.dd}>
              {current.credentialKind === 'secret'
                ? 'Client secret (stored encrypted, never shown)'
                : current.credentialKind === 'certificate'
                  ? 'Certificate'
                  : 'None'}
            </dd>
            {current.credentialKind === 'certificate' ? null : (
              <>
                <dt>Secret expires</dt>
                <dd className={styles.dd}>{current.clientSecretExpiresAt?.slice(0, 10) ?? 'Not known'}</dd>
              </>
            )}
            <dt>Last tested</dt>
            <dd className={styles.dd}>{when(current.lastTestedAt)}</dd>
          </dl>
        </Section>
      ) : null}

      {current ? (
        <Section title="Test connection">
          <p>Signs in as the application and tries each Microsoft Graph permission the connector uses.</p>
          <Row>
            <Button appearance="primary" onClick={() => void runTest()} disabled={tester.busy || !current.connected}>
              {tester.busy ? 'Testing…' : 'Test connection'}
            </Button>
          </Row>
          {!current.connected ? <p>Connect a tenant first.</p> : null}
          <ErrorBar error={tester.error} />
          {test ? <TestResult test={test} /> : null}
        </Section>
      ) : null}

      {current ? (
        <Section title="Connect a tenant">
          {current.source === 'configuration' ? (
            <Notice intent="info">
              This connection comes from the service configuration. Saving here replaces it until the configuration
              changes.
            </Notice>
          ) : null}
          <form className={styles.form} onSubmit={(e) => void submit(e)}>
            <Field label="Tenant ID" hint="The directory (tenant) ID, or a domain such as contoso.onmicrosoft.com.">
              <Input value={tenantId} onChange={(_e, d) => setTenantId(d.value)} required />
            </Field>
            <Field label="Application (client) ID" hint="From the app registration's Overview page.">
              <Input value={clientId} onChange={(_e, d) => setClientId(d.value)} required />
            </Field>
            <Field label="The app signs in with">
              <RadioGroup
                layout="horizontal"
                value={kind}
                onChange={(_e, d) => setKind(d.value as 'secret' | 'certificate')}
              >
                <Radio value="secret" label="A client secret" />
                <Radio value="certificate" label="A certificate" />
              </RadioGroup>
            </Field>
            {kind === 'secret' ? (
              <>
                <Field
                  label="Client secret"
                  hint={
                    current.credentialKind === 'secret'
                      ? 'A secret is stored. Leave this empty to keep it; it is never shown again.'
                      : 'The secret value (not its ID). It is stored encrypted and never shown again.'
                  }
                >
                  <Input type="password" value={secret} onChange={(_e, d) => setSecret(d.value)} autoComplete="off" />
                </Field>
                <Field label="Secret expiry date" hint="We warn you 30 days before it expires.">
                  <Input type="date" value={expires} onChange={(_e, d) => setExpires(d.value)} />
                </Field>
              </>
            ) : (
              <>
                <Field
                  label="Certificate"
                  hint="The certificate you uploaded to the app registration's Certificates & secrets (.cer, .crt or .pem)."
                  validationMessage={fileError ?? undefined}
                >
                  {(fieldProps) => (
                    <input
                      {...fieldProps}
                      key={`certificate-${fileInputs}`}
                      type="file"
                      accept=".cer,.crt,.pem"
                      onChange={(e) => void pickCertificate(e.target.files?.[0] ?? null)}
                    />
                  )}
                </Field>
                {thumbprints ? (
                  <p>
                    Thumbprint, as the Entra admin center shows it: <code>{thumbprints.sha1}</code>
                  </p>
                ) : null}
                <Field
                  label="Private key"
                  hint={
                    current.credentialKind === 'certificate'
                      ? 'A certificate is stored. Choose files only to replace it; the key is never shown again.'
                      : "The PEM file of the certificate's private key. It is stored encrypted and never shown again."
                  }
                >
                  {(fieldProps) => (
                    <input
                      {...fieldProps}
                      key={`key-${fileInputs}`}
                      type="file"
                      accept=".pem,.key"
                      onChange={(e) => setKeyFile(e.target.files?.[0] ?? null)}
                    />
                  )}
                </Field>
              </>
            )}
            <details>
              <summary>National cloud or other hosts</summary>
              <Field label="Sign-in host" hint="Only for a national cloud, e.g. https://login.microsoftonline.us">
                <Input value={authorityHost} onChange={(_e, d) => setAuthorityHost(d.value)} />
              </Field>
              <Field label="Microsoft Graph host" hint="Only for a national cloud, e.g. https://graph.microsoft.us">
                <Input value={graphBaseUrl} onChange={(_e, d) => setGraphBaseUrl(d.value)} />
              </Field>
            </details>
            <ErrorBar error={save.error} />
            {saved ? (
              <Notice intent="success" title="Connected.">
                Now test the connection.
              </Notice>
            ) : null}
            <Row>
              <Button type="submit" appearance="primary" disabled={save.busy || certificateIncomplete}>
                {save.busy ? 'Saving…' : 'Save and connect'}
              </Button>
              {current.connected ? (
                <Button onClick={() => setConfirmDisconnect(true)} disabled={disconnect.busy}>
                  Disconnect
                </Button>
              ) : null}
            </Row>
            <ErrorBar error={disconnect.error} />
          </form>
        </Section>
      ) : null}
      <Confirm
        open={confirmDisconnect}
        title="Disconnect the tenant?"
        confirmLabel="Disconnect"
        onConfirm={() => void doDisconnect()}
        onCancel={() => setConfirmDisconnect(false)}
      >
        Syncs stop and the stored secret is erased. HR users stay as they are.
      </Confirm>
    </>
  );
}

function TestResult({ test }: { test: ConnectionTest }) {
  const missing = new Set(test.missingPermissions);
  return (
    <>
      {test.ok ? (
        <Notice intent="success" title="The connection works.">
          Every permission the connector needs is granted.
        </Notice>
      ) : (
        <Notice intent="warning" title="The connection does not work fully.">
          {test.credentialError
            ? `Signing in as the application failed: ${test.credentialError.message} Check the tenant ID, client ID and secret.`
            : 'Grant the missing permissions below in the Microsoft Entra admin center (API permissions, Grant admin consent), then test again.'}
        </Notice>
      )}
      {test.problems.map((p) => (
        <Notice key={p} intent="warning">
          {p}
        </Notice>
      ))}
      {test.warnings.map((w) => (
        <Notice key={w} intent="info">
          {w}
        </Notice>
      ))}
      <Scroll label="Permissions">
        <Table aria-label="Permissions" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Permission</TableHeaderCell>
              <TableHeaderCell>Used to</TableHeaderCell>
              <TableHeaderCell>Result</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {test.requiredPermissions.map((permission) => {
              const probe = test.probes.find((p) => p.permission === permission);
              const result = missing.has(permission)
                ? 'Missing: grant it and give admin consent'
                : probe?.skipped
                  ? 'Granted (not tried)'
                  : probe && !probe.ok
                    ? `Refused by Graph${probe.status ? ` (${probe.status}${probe.code ? ` ${probe.code}` : ''})` : ''}`
                    : 'Granted';
              return (
                <TableRow key={permission}>
                  <TableCell>{permission}</TableCell>
                  <TableCell>{PERMISSION_USE[permission] ?? '–'}</TableCell>
                  <TableCell>{result}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </Scroll>
      <p>Tested {when(test.testedAt)}.</p>
    </>
  );
}
