/*
 * Rule 4.2 (docs/rules.md): the Entra user created for an HR user created in HR. Graph requires
 * accountEnabled, displayName, mailNickname, passwordProfile and userPrincipalName
 * (https://learn.microsoft.com/graph/api/user-post-users); the user principal name's domain must
 * be one of the tenant's verified domains (https://learn.microsoft.com/graph/api/resources/user,
 * userPrincipalName).
 */

export interface NewUserInput {
  readonly email: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly displayName: string | null;
  /** The verified domain the admin chose (settings writeBackCreateDomain). */
  readonly domain: string;
  /** A random initial password, changed at first sign-in. */
  readonly password: string;
  /** Permitted fields' values in Graph's shapes (rule 4.1), sent with the creation. */
  readonly properties?: Readonly<Record<string, unknown>>;
}

/** Characters a user principal name's alias may hold (https://learn.microsoft.com/graph/api/resources/user). */
const ALIAS_REFUSED = /[^A-Za-z0-9'.\-_!#^~]/g;
const MAX_ALIAS = 64;

/**
 * The mail nickname: the HR e-mail's local part with what an alias may not hold left out, no dot
 * at either end; the names when nothing is left.
 */
export function mailNicknameOf(email: string, firstName: string | null, lastName: string | null): string {
  const clean = (text: string) =>
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(ALIAS_REFUSED, '')
      .replace(/\.{2,}/g, '.')
      // Runs of dots are single dots from here on.
      .replace(/^\.|\.$/g, '')
      .slice(0, MAX_ALIAS)
      .replace(/\.$/, '');
  const local = clean(email.slice(0, email.lastIndexOf('@') < 0 ? email.length : email.lastIndexOf('@')));
  if (local) return local;
  // A missing name joins as nothing; clean drops the dot that leaves at an end.
  return clean([firstName, lastName].join('.')) || 'user';
}

/** The body of POST /users for an HR user. */
export function newEntraUser(input: NewUserInput): Record<string, unknown> {
  const mailNickname = mailNicknameOf(input.email, input.firstName, input.lastName);
  const names = [input.firstName?.trim(), input.lastName?.trim()].filter((name): name is string => !!name);
  const displayName = input.displayName?.trim() || names.join(' ') || mailNickname;
  return {
    ...input.properties,
    accountEnabled: true,
    displayName,
    ...(input.firstName?.trim() ? { givenName: input.firstName.trim() } : {}),
    ...(input.lastName?.trim() ? { surname: input.lastName.trim() } : {}),
    mailNickname,
    userPrincipalName: `${mailNickname}@${input.domain}`,
    passwordProfile: { forceChangePasswordNextSignIn: true, password: input.password },
  };
}
