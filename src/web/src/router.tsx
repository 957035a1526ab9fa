import { useEffect, useState, type MouseEvent, type ReactNode } from 'react';
import { Link } from '@fluentui/react-components';

const listeners = new Set<() => void>();

/** Moves to a path of the app without reloading it (the History API). */
export function navigate(to: string): void {
  window.history.pushState(null, '', to);
  for (const listener of listeners) listener();
}

/** The current path and query; re-renders on navigation and on the browser's back and forward. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const changed = () => setTick((n) => n + 1);
    listeners.add(changed);
    window.addEventListener('popstate', changed);
    return () => {
      listeners.delete(changed);
      window.removeEventListener('popstate', changed);
    };
  }, []);
  return { path: window.location.pathname, query: new URLSearchParams(window.location.search) };
}

/** A link inside the app: a real anchor (keyboard, middle click, copy address) that navigates in place. */
export function AppLink(props: {
  to: string;
  children: ReactNode;
  'aria-current'?: 'page' | undefined;
  className?: string;
}) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(props.to);
  };
  return (
    <Link href={props.to} onClick={onClick} aria-current={props['aria-current']} className={props.className}>
      {props.children}
    </Link>
  );
}
