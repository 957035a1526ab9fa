/**
 * Where a change of an HR user came from: the inbound sync from Entra, an HR admin (the API, the
 * employee profile lifecycle, the bootstrap administrator), or provisioning pushed to our SCIM
 * endpoint. Every write of an HR user records it with the time, so that write-back can tell a
 * change HR made from the echo of one it read from Entra (docs/rules.md#inbound-sync).
 */
export type ChangeOrigin = 'entra' | 'hr' | 'scim';

export const CHANGE_ORIGINS: readonly ChangeOrigin[] = ['entra', 'hr', 'scim'];

/** `user_role.granted_by` spells the sync's grants 'sync' (the word the role-sync policy uses). */
export function grantedBy(origin: ChangeOrigin): 'hr' | 'sync' | 'scim' {
  return origin === 'entra' ? 'sync' : origin;
}
