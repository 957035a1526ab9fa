/**
 * What the emulator knows about the user resource ("user resource type",
 * https://learn.microsoft.com/graph/api/resources/user).
 */

/** Returned when no $select is sent (exactly these 11, https://learn.microsoft.com/graph/api/user-list). */
export const DEFAULT_USER_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

/**
 * Properties that /users cannot list; $select of one on a collection is a 501
 * (https://learn.microsoft.com/graph/api/resources/user).
 */
export const NON_LISTABLE_USER_PROPERTIES = [
  'aboutMe',
  'birthday',
  'hireDate',
  'interests',
  'mySite',
  'pastProjects',
  'preferredName',
  'responsibilities',
  'schools',
  'skills',
  'mailboxSettings',
] as const;

/** Every property the emulator stores or can at least answer with null. */
export const KNOWN_USER_PROPERTIES = [
  ...DEFAULT_USER_PROPERTIES,
  'accountEnabled',
  'ageGroup',
  'city',
  'companyName',
  'country',
  'createdDateTime',
  'creationType',
  'deletedDateTime',
  'department',
  'employeeHireDate',
  'employeeId',
  'employeeLeaveDateTime',
  'employeeOrgData',
  'employeeType',
  'externalUserState',
  'faxNumber',
  'identities',
  'imAddresses',
  'isResourceAccount',
  'lastPasswordChangeDateTime',
  'mailNickname',
  'onPremisesDistinguishedName',
  'onPremisesDomainName',
  'onPremisesExtensionAttributes',
  'onPremisesImmutableId',
  'onPremisesLastSyncDateTime',
  'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier',
  'onPremisesSyncEnabled',
  'onPremisesUserPrincipalName',
  'otherMails',
  'passwordPolicies',
  'postalCode',
  'preferredDataLocation',
  'proxyAddresses',
  'showInAddressList',
  'state',
  'streetAddress',
  'usageLocation',
  'userType',
  'manager',
  'passwordProfile',
  // The rest of the user resource's properties
  // (https://learn.microsoft.com/graph/api/resources/user?view=graph-rest-1.0): a generated tenant has no
  // licences, plans, sync errors or sign-ins, so they answer [] or null.
  'assignedLicenses',
  'assignedPlans',
  'authorizationInfo',
  'consentProvidedForMinor',
  'customSecurityAttributes',
  'deviceEnrollmentLimit',
  'externalUserStateChangeDateTime',
  'isManagementRestricted',
  'legalAgeGroupClassification',
  'licenseAssignmentStates',
  'onPremisesProvisioningErrors',
  'onPremisesSipInfo',
  'provisionedPlans',
  'securityIdentifier',
  'serviceProvisioningErrors',
  'signInActivity',
  'signInSessionsValidFromDateTime',
  ...NON_LISTABLE_USER_PROPERTIES,
] as const;

/** Collection-valued user properties: [] when empty, never null ("Not nullable" on the user resource page). */
export const USER_COLLECTION_PROPERTIES = new Set([
  'businessPhones',
  'otherMails',
  'proxyAddresses',
  'identities',
  'imAddresses',
  'interests',
  'pastProjects',
  'responsibilities',
  'schools',
  'skills',
  'assignedLicenses',
  'assignedPlans',
  'licenseAssignmentStates',
  'onPremisesProvisioningErrors',
  'provisionedPlans',
  'serviceProvisioningErrors',
]);

/**
 * signInActivity needs AuditLog.Read.All on top of a user read permission ("List users", example "Get users
 * including their last sign-in time", https://learn.microsoft.com/graph/api/user-list?view=graph-rest-1.0).
 */
export const SIGN_IN_ACTIVITY_ROLE = 'AuditLog.Read.All';

const CANONICAL = new Map<string, string>(KNOWN_USER_PROPERTIES.map((p) => [p.toLowerCase(), p]));

const DIRECTORY_EXTENSION = /^extension_[0-9a-f]{32}_[A-Za-z0-9_]+$/i;

/** Graph matches property names case-insensitively; returns the canonical spelling or undefined. */
export function canonicalUserProperty(name: string): string | undefined {
  if (DIRECTORY_EXTENSION.test(name)) return name;
  return CANONICAL.get(name.toLowerCase());
}

export function isDirectoryExtension(name: string): boolean {
  return DIRECTORY_EXTENSION.test(name);
}

/** Set by the service only; a POST or PATCH that sends one is refused. */
export const READ_ONLY_USER_PROPERTIES = new Set([
  'id',
  'createdDateTime',
  'deletedDateTime',
  'onPremisesSyncEnabled',
  'onPremisesLastSyncDateTime',
  'onPremisesDistinguishedName',
  'onPremisesDomainName',
  'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier',
  'onPremisesUserPrincipalName',
  'proxyAddresses',
  'manager',
  'lastPasswordChangeDateTime',
  'creationType',
  'externalUserState',
  'assignedLicenses',
  'assignedPlans',
  'externalUserStateChangeDateTime',
  'isManagementRestricted',
  'legalAgeGroupClassification',
  'licenseAssignmentStates',
  'onPremisesProvisioningErrors',
  'onPremisesSipInfo',
  'provisionedPlans',
  'securityIdentifier',
  'serviceProvisioningErrors',
  'signInActivity',
  'signInSessionsValidFromDateTime',
  'authorizationInfo',
  'deviceEnrollmentLimit',
  'customSecurityAttributes',
]);

/** Properties accepted in POST/PATCH bodies (beyond directory extensions). */
export const WRITABLE_USER_PROPERTIES = new Set([
  'accountEnabled',
  'ageGroup',
  'businessPhones',
  'city',
  'companyName',
  'consentProvidedForMinor',
  'country',
  'department',
  'displayName',
  'employeeHireDate',
  'employeeId',
  'employeeLeaveDateTime',
  'employeeOrgData',
  'employeeType',
  'faxNumber',
  'givenName',
  'identities',
  'jobTitle',
  'mail',
  'mailNickname',
  'mobilePhone',
  'officeLocation',
  'onPremisesExtensionAttributes',
  'onPremisesImmutableId',
  'otherMails',
  'passwordPolicies',
  'passwordProfile',
  'postalCode',
  'preferredDataLocation',
  'preferredLanguage',
  'showInAddressList',
  'state',
  'streetAddress',
  'surname',
  'usageLocation',
  'userPrincipalName',
  'userType',
  'aboutMe',
  'birthday',
  'hireDate',
  'interests',
  'mySite',
  'pastProjects',
  'preferredName',
  'responsibilities',
  'schools',
  'skills',
]);

/** Graph's maximum lengths for string properties (https://learn.microsoft.com/graph/api/resources/user). */
export const MAX_LENGTHS: Readonly<Record<string, number>> = {
  displayName: 256,
  givenName: 64,
  surname: 64,
  jobTitle: 128,
  department: 64,
  employeeId: 16,
  mobilePhone: 64,
  city: 128,
  country: 128,
  companyName: 64,
  mailNickname: 64,
};

/**
 * Properties mastered on-premises for users with onPremisesSyncEnabled=true: the default is all HR fields
 * except usageLocation and employeeLeaveDateTime (https://learn.microsoft.com/graph/api/user-update); the
 * control API can change it.
 */
export const DEFAULT_ON_PREM_MASTERED = [
  'accountEnabled',
  'businessPhones',
  'city',
  'companyName',
  'country',
  'department',
  'displayName',
  'employeeHireDate',
  'employeeId',
  'employeeOrgData',
  'employeeType',
  'givenName',
  'jobTitle',
  'mail',
  'mailNickname',
  'mobilePhone',
  'officeLocation',
  'onPremisesExtensionAttributes',
  'onPremisesImmutableId',
  'passwordProfile',
  'postalCode',
  'state',
  'streetAddress',
  'surname',
  'userPrincipalName',
  'faxNumber',
  'otherMails',
];

export const EXTENSION_ATTRIBUTE_KEYS = Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`);

/**
 * Group properties returned without $select (Graph's default set for groups is not documented,
 * https://learn.microsoft.com/graph/api/group-list).
 */
export const DEFAULT_GROUP_PROPERTIES = [
  'id',
  'deletedDateTime',
  'classification',
  'createdDateTime',
  'description',
  'displayName',
  'groupTypes',
  'mail',
  'mailEnabled',
  'mailNickname',
  'securityEnabled',
  'visibility',
] as const;
