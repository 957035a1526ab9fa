/** What went wrong and what to do next, in words, from an API answer (RFC 9457 problem+json). */
export interface Explained {
  what: string;
  next: string;
  requestId?: string;
}

interface Problem {
  code?: string;
  detail?: string;
  errors?: Array<{ path: string; message: string }>;
  requestId?: string;
  csrf?: boolean;
  signInError?: string;
}

/** One API failure, explained; `status` 0 when the service could not be reached at all. */
export class ApiError extends Error implements Explained {
  readonly what: string;
  readonly next: string;
  readonly requestId?: string;
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    const explained = explain(status, problem);
    super(explained.what);
    this.what = explained.what;
    this.next = explained.next;
    if (explained.requestId) this.requestId = explained.requestId;
  }
}

const sentence = (text: string) => {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const first = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
};

/** Names a field path of the API ("body.syncInterval") the way the page labels it. */
function fieldName(path: string): string {
  const last = path
    .split('.')
    .filter((part) => part !== 'body' && part !== 'query')
    .join(' ');
  return last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() || 'the request';
}

export function explain(status: number, problem: Problem): Explained {
  const detail = problem.detail ? sentence(problem.detail) : '';
  const id = problem.requestId ? { requestId: problem.requestId } : {};
  const signIn = problem.signInError ? SIGN_IN_ERRORS[problem.signInError] : undefined;
  if (signIn) return signIn;
  if (status === 0)
    return { what: 'The service could not be reached.', next: 'Check your network connection, then try again.' };
  if (status === 400 && problem.errors?.length) {
    // A message that is a sentence of its own (it names what it is about) is shown as it is.
    const sentences = problem.errors.filter((e) => /^[A-Z]/.test(e.message)).map((e) => sentence(e.message));
    const list = problem.errors
      .filter((e) => !/^[A-Z]/.test(e.message))
      .map((e) => `${fieldName(e.path)}: ${e.message}`)
      .join('; ');
    return {
      what: [...(list ? [`Some values are not valid: ${list}.`] : []), ...[...new Set(sentences)]].join(' '),
      next: 'Correct what is named here, then try again.',
      ...id,
    };
  }
  if (status === 401)
    return { what: 'You are not signed in any more.', next: 'Sign in again, then repeat what you were doing.', ...id };
  if (status === 403 && problem.csrf)
    return { what: 'This page is out of date.', next: 'Reload the page, then try again.', ...id };
  if (status === 403)
    return {
      what: detail || 'You are not allowed to do this.',
      next: 'Ask an HR administrator to give you the Administrator role if you need it.',
      ...id,
    };
  if (status === 404)
    return { what: detail || 'It no longer exists.', next: 'Go back to the list and reload it.', ...id };
  if (status === 409)
    return {
      what: detail || 'This cannot be done as things stand.',
      next: 'Change what the message names, then try again.',
      ...id,
    };
  if (status === 429) return { what: 'Too many requests right now.', next: 'Wait a minute, then try again.', ...id };
  if (status === 502)
    return {
      what: `Microsoft Graph did not do what was asked. ${detail}`.trim(),
      next: 'Open Connection and test the connection; if it passes, try again in a few minutes.',
      ...id,
    };
  if (status === 503)
    return {
      what: 'The service is not ready: its database or job store cannot be reached.',
      next: 'Try again in a minute; if it lasts, tell whoever runs the service.',
      ...id,
    };
  if (status >= 500)
    return {
      what: 'Something went wrong in the service.',
      next: `Try again; if it happens again, report it${problem.requestId ? ` with the request id ${problem.requestId}` : ''}.`,
      ...id,
    };
  return {
    what: detail || 'The request was not accepted.',
    next: 'Reload the page and try again; if it happens again, report it with the request id.',
    ...id,
  };
}

/** Why a sign-in failed (the service's `signInError`), in words. */
export const SIGN_IN_ERRORS: Record<string, Explained> = {
  'not-connected': {
    what: 'No Microsoft Entra tenant is connected yet, so nobody can sign in with Microsoft.',
    next: 'Sign in with the administrator token below, then connect the tenant on the Connection page.',
  },
  expired: {
    what: 'The sign-in took too long, or was started in another browser window.',
    next: 'Select "Sign in with Microsoft" again.',
  },
  denied: {
    what: 'Microsoft did not sign you in.',
    next: 'Try again; if it keeps happening, ask your IT administrator whether you may use this app.',
  },
  refused: {
    what: "Microsoft's answer could not be accepted.",
    next: 'Select "Sign in with Microsoft" again; if it keeps happening, ask an HR administrator to test the connection.',
  },
  'no-hr-user': {
    what: 'You signed in with Microsoft, but there is no HR user for you yet.',
    next: 'Ask an HR administrator to add you (or the group you are in) to the HR system, then sign in again.',
  },
  inactive: {
    what: 'Your HR user is deactivated.',
    next: 'Ask an HR administrator to reactivate you if you should still have access.',
  },
  unreachable: {
    what: 'Microsoft Entra could not be reached to sign you in.',
    next: 'Try again in a few minutes; if it lasts, ask an HR administrator to test the connection.',
  },
  'local-refused': {
    what: 'That is not the administrator token, or it has been replaced.',
    next: 'Copy the token again from ADMIN_TOKEN or the file DATA_DIR/admin-token on the server.',
  },
  'local-off': {
    what: 'Signing in with the administrator token is switched off on this service.',
    next: 'Sign in with Microsoft instead.',
  },
};
