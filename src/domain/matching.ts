/*
 * Matching an incoming Entra user to an HR user (rule 2.2).
 * The link by Entra object id wins, so a later e-mail change does not break it; only an unlinked
 * user is matched by e-mail, compared case-insensitively. Anything that could link one person to
 * two accounts (or two people to one) is reported instead of guessed.
 */

/**
 * The e-mail key used for matching: trimmed and lower-cased. The database's unique index on
 * lower(email) must agree with it, so stored e-mails are trimmed on write. `toLowerCase` (not the
 * locale-aware variant) gives the same result as PostgreSQL's lower() for the ASCII addresses
 * Entra issues. Returns null for a missing or blank address.
 */
export function normaliseEmail(email: string | null | undefined): string | null {
  const key = (email ?? '').trim().toLowerCase();
  return key === '' ? null : key;
}

/** A deliberately loose shape check (one @, a dot in the domain, no spaces), not RFC 5322. */
export function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());
}

export interface IncomingIdentity {
  readonly entraId: string;
  /** The e-mail chosen by the attribute mapping (mail, else user principal name). */
  readonly email: string | null;
}

export interface HrUserIdentity {
  readonly hrUserId: string;
  readonly email: string;
  /** The Entra object id this HR user is linked to, if any. */
  readonly entraId: string | null;
}

export type MatchConflictReason =
  | 'duplicate-entra-user-in-run'
  | 'duplicate-email-in-run'
  | 'email-linked-to-other-entra-user'
  | 'several-hr-users-with-email';

export type MatchResult =
  | { readonly kind: 'linked'; readonly hrUserId: string }
  | { readonly kind: 'matched-by-email'; readonly hrUserId: string }
  | { readonly kind: 'new' }
  | { readonly kind: 'conflict'; readonly reason: MatchConflictReason; readonly text: string };

/**
 * Matches the incoming users of one run, in order, against the HR users that share their ids or
 * e-mails. Users already linked by id are settled first, so an unlinked newcomer can never take
 * their place; among unlinked users, the first one with an e-mail wins and a later one whose
 * e-mail differs only in case is reported, not created. An HR user is therefore matched at most
 * once per run: by its link, or by the one e-mail key it has.
 */
export function matchEntraUsers(
  incoming: readonly IncomingIdentity[],
  hrUsers: readonly HrUserIdentity[],
): MatchResult[] {
  // Keyed by link; the unlinked (null) are never looked up, as an incoming user always has an id.
  const byEntraId = new Map(hrUsers.map((u) => [u.entraId, u]));
  const byEmail = groupByEmail(hrUsers);
  const seenIds = new Set<string>();
  // Keys already taken in this run (a missing e-mail, null, is never looked up: it cannot collide).
  const seenEmails = new Set<string | null>();

  const linked = incoming.map((user): MatchResult | undefined => {
    const hrUser = byEntraId.get(user.entraId);
    if (hrUser === undefined) return undefined;
    seenEmails.add(normaliseEmail(user.email));
    if (seenIds.has(user.entraId)) return duplicateEntraUser(user);
    seenIds.add(user.entraId);
    return { kind: 'linked', hrUserId: hrUser.hrUserId };
  });
  return incoming.map((user, index) => linked[index] ?? matchUnlinked(user));

  function matchUnlinked(user: IncomingIdentity): MatchResult {
    if (seenIds.has(user.entraId)) return duplicateEntraUser(user);
    seenIds.add(user.entraId);
    const key = normaliseEmail(user.email);
    if (key === null) return { kind: 'new' }; // user creation reports the missing e-mail (2.3)
    if (seenEmails.has(key)) {
      const text = `Another Entra user in this run has the e-mail ${key} (compared case-insensitively, rule 2.2); Entra user ${user.entraId} was not synced.`;
      return conflict('duplicate-email-in-run', text);
    }
    seenEmails.add(key);
    const candidates = byEmail.get(key) ?? [];
    const [candidate] = candidates;
    if (candidate === undefined) return { kind: 'new' };
    if (candidates.length > 1) {
      return conflict(
        'several-hr-users-with-email',
        `Several HR users have the e-mail ${key}; Entra user ${user.entraId} cannot be matched to one of them (rule 2.2).`,
      );
    }
    // Linked to this very Entra user it would have been settled above, so the link is another's.
    if (candidate.entraId !== null) {
      const text = `The HR user with the e-mail ${key} is already linked to another Entra user (${candidate.entraId}); Entra user ${user.entraId} was not synced.`;
      return conflict('email-linked-to-other-entra-user', text);
    }
    return { kind: 'matched-by-email', hrUserId: candidate.hrUserId };
  }
}

/** Matches one incoming user on its own (no other incoming users to collide with). */
export function matchEntraUser(incoming: IncomingIdentity, hrUsers: readonly HrUserIdentity[]): MatchResult {
  return matchEntraUsers([incoming], hrUsers)[0]!;
}

/** HR users by e-mail key; those without a usable e-mail gather under null, which no incoming key is. */
function groupByEmail(hrUsers: readonly HrUserIdentity[]): Map<string | null, HrUserIdentity[]> {
  const byEmail = new Map<string | null, HrUserIdentity[]>();
  for (const user of hrUsers) {
    const key = normaliseEmail(user.email);
    byEmail.set(key, [...(byEmail.get(key) ?? []), user]);
  }
  return byEmail;
}

function duplicateEntraUser(user: IncomingIdentity): MatchResult {
  return conflict(
    'duplicate-entra-user-in-run',
    `Entra user ${user.entraId} appears more than once in this run; only its first occurrence was synced.`,
  );
}

function conflict(reason: MatchConflictReason, text: string): MatchResult {
  return { kind: 'conflict', reason, text };
}
