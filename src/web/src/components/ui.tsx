import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import {
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { Explained } from '../problems';

const useStyles = makeStyles({
  heading: {
    fontSize: tokens.fontSizeHero700,
    lineHeight: tokens.lineHeightHero700,
    margin: '0 0 12px',
    outline: 'none',
  },
  scroll: {
    overflowX: 'auto',
    maxWidth: '100%',
    // On a phone a table keeps readable columns and scrolls sideways in its region: columns as wide
    // as their content (an e-mail address never runs into the next cell), long text wrapped.
    '& table': { minWidth: '100%', width: 'max-content', tableLayout: 'auto' },
    '& td, & th': { maxWidth: '320px', overflowWrap: 'anywhere' },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}` },
  },
  section: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
    padding: '16px',
    marginBottom: '16px',
  },
  sectionTitle: { fontSize: tokens.fontSizeBase500, margin: '0 0 12px' },
  row: { display: 'flex', flexWrap: 'wrap', gap: '8px', alignItems: 'end' },
  dialog: {
    border: 'none',
    borderRadius: tokens.borderRadiusXLarge,
    boxShadow: tokens.shadow64,
    padding: '24px',
    maxWidth: 'min(480px, calc(100vw - 48px))',
    '::backdrop': { backgroundColor: 'rgba(0, 0, 0, 0.4)' },
  },
});

/** The page's one h1; it takes the focus when the page opens, so a screen reader announces the page. */
export function PageHeading({ children }: { children: ReactNode }) {
  const styles = useStyles();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
    document.title = `${ref.current?.textContent ?? ''} – Entra HR Connector`;
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className={styles.heading}>
      {children}
    </h1>
  );
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  const styles = useStyles();
  return (
    <section className={styles.section} aria-label={title}>
      <h2 className={styles.sectionTitle}>{title}</h2>
      {children}
    </section>
  );
}

export function Row({ children }: { children: ReactNode }) {
  return <div className={useStyles().row}>{children}</div>;
}

/** A table that may be wider than the screen: it scrolls sideways, and the keyboard can reach it to do so. */
export function Scroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className={useStyles().scroll} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** An API failure in words: what happened, what to do next. */
export function ErrorBar({ error }: { error: Explained | null | undefined }) {
  if (!error) return null;
  return (
    <MessageBar intent="error" layout="multiline" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{error.what}</MessageBarTitle> {error.next}
        {error.requestId ? ` (Request id ${error.requestId}.)` : ''}
      </MessageBarBody>
    </MessageBar>
  );
}

export function Notice({
  intent,
  title,
  children,
}: {
  intent: 'success' | 'warning' | 'info';
  title?: string;
  children: ReactNode;
}) {
  return (
    <MessageBar intent={intent} layout="multiline">
      <MessageBarBody>
        {title ? <MessageBarTitle>{title}</MessageBarTitle> : null} {children}
      </MessageBarBody>
    </MessageBar>
  );
}

/** A list's state above its table: what went wrong (in words), that it is loading, or that it is empty. */
export function ListStatus({
  list,
  empty,
}: {
  list: { data: { items: unknown[] } | null; error: Explained | null; loading: boolean };
  empty: string;
}) {
  return (
    <>
      <ErrorBar error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && list.data.items.length === 0 ? <p>{empty}</p> : null}
    </>
  );
}

export function Loading({ label = 'Loading' }: { label?: string }) {
  return <Spinner size="small" label={label} />;
}

/** Loads data for a page; `reload` reads it again. */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
): {
  data: T | null;
  error: Explained | null;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (data: T) => void;
} {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Explained | null>(null);
  const [loading, setLoading] = useState(true);
  const run = useCallback(load, deps);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setData(await run());
      setError(null);
    } catch (caught) {
      setError(caught as Explained);
    } finally {
      setLoading(false);
    }
  }, [run]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload, setData };
}

/** Runs an action, keeping its error (in words) and whether it is busy. */
export function useAction(): {
  busy: boolean;
  error: Explained | null;
  run: <T>(action: () => Promise<T>) => Promise<T | undefined>;
  clear: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Explained | null>(null);
  const run = useCallback(async <T,>(action: () => Promise<T>) => {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (caught) {
      setError(caught as Explained);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(null) };
}

/**
 * Asks before an action that cannot be undone: the browser's own modal dialog (focus kept inside,
 * Escape cancels, the page behind inert). Fluent's Dialog left focus-trap sentinels on the page
 * (aria-hidden yet focusable, which axe reports) and, unmounted while open, the page hidden.
 */
export function Confirm(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const styles = useStyles();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      className={styles.dialog}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id={titleId} className={styles.sectionTitle}>
        {props.title}
      </h2>
      <p>{props.children}</p>
      <Row>
        <Button appearance="primary" onClick={props.onConfirm}>
          {props.confirmLabel}
        </Button>
        <Button onClick={props.onCancel}>Cancel</Button>
      </Row>
    </dialog>
  );
}

/** A time the way people read it, in their own time zone. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '–';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

const LABELS: Record<string, string> = { managerEntraId: 'Manager (Entra object id)', email: 'E-mail' };
/** The order HR fields are shown in (the service's field catalogue); others follow. */
export const FIELD_ORDER = [
  'firstName',
  'lastName',
  'displayName',
  'jobTitle',
  'department',
  'officeLocation',
  'employeeNumber',
  'hireDate',
  'mobilePhone',
  'businessPhone',
  'city',
  'managerEntraId',
];
export function byFieldOrder(a: string, b: string): number {
  const rank = (f: string) => (FIELD_ORDER.includes(f) ? FIELD_ORDER.indexOf(f) : FIELD_ORDER.length);
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** "jobTitle" -> "Job title". */
export function labelOf(field: string): string {
  if (LABELS[field]) return LABELS[field];
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
