/**
 * What the emulator knows about the group resource ("group resource type",
 * https://learn.microsoft.com/graph/api/resources/group?view=graph-rest-1.0).
 */

/** Properties and the `members` relationship (selectable on groups/delta); anything else is a 400 as on users. */
export const KNOWN_GROUP_PROPERTIES = [
  'allowExternalSenders',
  'assignedLabels',
  'assignedLicenses',
  'autoSubscribeNewMembers',
  'classification',
  'createdDateTime',
  'deletedDateTime',
  'description',
  'displayName',
  'expirationDateTime',
  'groupTypes',
  'hasMembersWithLicenseErrors',
  'hideFromAddressLists',
  'hideFromOutlookClients',
  'id',
  'isArchived',
  'isAssignableToRole',
  'isManagementRestricted',
  'isSubscribedByMail',
  'licenseProcessingState',
  'mail',
  'mailEnabled',
  'mailNickname',
  'membershipRule',
  'membershipRuleProcessingState',
  'onPremisesDomainName',
  'onPremisesLastSyncDateTime',
  'onPremisesNetBiosName',
  'onPremisesProvisioningErrors',
  'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier',
  'onPremisesSyncEnabled',
  'preferredDataLocation',
  'preferredLanguage',
  'proxyAddresses',
  'renewedDateTime',
  'resourceBehaviorOptions',
  'resourceProvisioningOptions',
  'securityEnabled',
  'securityIdentifier',
  'serviceProvisioningErrors',
  'theme',
  'uniqueName',
  'unseenCount',
  'visibility',
  'members',
] as const;

/** String and complex collections of a group: [] when empty, never null (same page: "Not nullable"). */
export const GROUP_COLLECTION_PROPERTIES = new Set([
  'assignedLabels',
  'assignedLicenses',
  'groupTypes',
  'onPremisesProvisioningErrors',
  'proxyAddresses',
  'resourceBehaviorOptions',
  'resourceProvisioningOptions',
  'serviceProvisioningErrors',
]);

const CANONICAL = new Map<string, string>(KNOWN_GROUP_PROPERTIES.map((p) => [p.toLowerCase(), p]));

const DIRECTORY_EXTENSION = /^extension_[0-9a-f]{32}_[A-Za-z0-9_]+$/i;

/** Canonical spelling of a group property (matched case-insensitively), or undefined when the group has none. */
export function canonicalGroupProperty(name: string): string | undefined {
  if (DIRECTORY_EXTENSION.test(name)) return name;
  return CANONICAL.get(name.toLowerCase());
}
