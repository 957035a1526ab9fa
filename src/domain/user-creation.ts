/*
 * Creating an HR user for an Entra user that matched no HR user (rule 2.3).
 * Input is the user already mapped to HR fields (attribute-mapping.ts), whose `email` is Entra's
 * mail, else the user principal name when that is a usable address. A user that cannot be created
 * is skipped with a reason the run reports; the rest of the run goes on.
 */
import type { BuiltInHrValues, CustomHrValues, MappedHrUser } from './attribute-mapping.js';
import { looksLikeEmail } from './matching.js';

export type CreationSkipReason =
  'missing-entra-id' | 'missing-name' | 'missing-email' | 'invalid-email' | 'disabled-in-entra';

export interface NewHrUser {
  readonly fields: BuiltInHrValues & {
    readonly entraId: string;
    readonly firstName: string;
    readonly lastName: string;
    readonly displayName: string;
    readonly email: string;
    readonly active: true;
  };
  readonly custom: CustomHrValues;
}

export type CreationDecision =
  | { readonly create: true; readonly user: NewHrUser }
  | { readonly create: false; readonly reason: CreationSkipReason; readonly text: string };

export function decideUserCreation(mapped: Pick<MappedHrUser, 'fields' | 'custom'>): CreationDecision {
  const { fields } = mapped;
  const { entraId, firstName, lastName, email } = fields;
  const who = describe(fields);
  if (entraId === null)
    return skip('missing-entra-id', `${who} has no Entra object id, so it cannot be linked (rule 2.2).`);
  if (firstName === null || lastName === null) {
    const missing = [firstName === null ? 'given name' : null, lastName === null ? 'surname' : null].filter(
      (m) => m !== null,
    );
    return skip(
      'missing-name',
      `${who} was not created: it has no ${missing.join(' and no ')}; given name and surname are required (rule 2.3).`,
    );
  }
  if (email === null) {
    return skip(
      'missing-email',
      `${who} was not created: it has neither a mail address nor a user principal name that is an e-mail address.`,
    );
  }
  if (!looksLikeEmail(email))
    return skip('invalid-email', `${who} was not created: "${email}" is not an e-mail address.`);

  // A disabled account would only be created to be deactivated (3.1); it is created once enabled.
  if (fields.active === false)
    return skip('disabled-in-entra', `${who} was not created: the account is disabled in Entra (rule 3.1).`);

  const displayName = fields.displayName ?? `${firstName} ${lastName}`;
  const created = { ...fields, entraId, firstName, lastName, email: email.trim(), displayName, active: true as const };
  return { create: true, user: { fields: created, custom: mapped.custom } };
}

function describe(fields: BuiltInHrValues): string {
  const name = fields.displayName ?? fields.email ?? fields.entraId ?? 'unknown';
  return fields.entraId !== null && name !== fields.entraId
    ? `Entra user "${name}" (${fields.entraId})`
    : `Entra user "${name}"`;
}

function skip(reason: CreationSkipReason, text: string): CreationDecision {
  return { create: false, reason, text };
}
