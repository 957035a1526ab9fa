import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, setCsrfToken } from './api';
import type { ApiError } from './problems';
import type { SessionView } from './types';

interface SessionState {
  view: SessionView | null;
  error: ApiError | null;
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/** Who is signed in (GET /auth/session), read once at start and after sign-in or sign-out. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [view, setView] = useState<SessionView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const refresh = useCallback(async () => {
    try {
      const next = await api<SessionView>('/auth/session');
      setCsrfToken(next.csrfToken);
      setView(next);
      setError(null);
    } catch (caught) {
      setError(caught as ApiError);
    }
  }, []);
  const signOut = useCallback(async () => {
    await api('/auth/sign-out', { method: 'POST' });
    window.history.replaceState(null, '', '/');
    await refresh();
  }, [refresh]);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return <SessionContext.Provider value={{ view, error, refresh, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
