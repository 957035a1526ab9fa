import { advancedQueryRequired, unsupportedFilterClause } from '../http/graph-errors.js';
import type { GraphResponse } from '../http/graph-types.js';
import { filterLeaves } from './filter-parser.js';
import type { FilterNode } from './filter-parser.js';

/** Whether an operator on a property works by default, only as an advanced query, or not at all. */
type Support = 'default' | 'advanced' | 'no';

interface PropertyRule {
  eq: Support;
  in: Support;
  startswith: Support;
  range: Support;
  eqNull: Support;
  endswith: Support;
}

const rule = (
  eq: Support,
  startswith: Support,
  range: Support,
  eqNull: Support,
  inOp: Support = eq,
  endswith: Support = 'no',
): PropertyRule => ({ eq, in: inOp, startswith, range, eqNull, endswith });

const STRING_DEFAULT = rule('default', 'default', 'default', 'advanced');
const ADVANCED_ONLY = rule('advanced', 'advanced', 'advanced', 'advanced');
const EMAILISH = rule('default', 'default', 'default', 'advanced', 'default', 'advanced');

/**
 * The user filter table of "Advanced query capabilities on Microsoft Entra ID objects"
 * (https://learn.microsoft.com/graph/aad-advanced-queries). Cells the doc leaves unclear are given their most
 * permissive reading.
 */
const USER_RULES: Record<string, PropertyRule> = {
  id: rule('default', 'no', 'no', 'no'),
  accountEnabled: rule('default', 'no', 'no', 'advanced'),
  onPremisesSyncEnabled: rule('default', 'no', 'no', 'advanced'),
  userType: rule('default', 'no', 'no', 'advanced'),
  createdDateTime: rule('default', 'no', 'default', 'no', 'advanced'),
  mail: EMAILISH,
  userPrincipalName: EMAILISH,
  otherMails: EMAILISH,
  proxyAddresses: EMAILISH,
  displayName: STRING_DEFAULT,
  givenName: STRING_DEFAULT,
  surname: STRING_DEFAULT,
  mailNickname: STRING_DEFAULT,
  department: STRING_DEFAULT,
  city: STRING_DEFAULT,
  country: STRING_DEFAULT,
  usageLocation: STRING_DEFAULT,
  state: STRING_DEFAULT,
  jobTitle: STRING_DEFAULT,
  employeeId: rule('default', 'default', 'advanced', 'advanced'),
  employeeHireDate: ADVANCED_ONLY,
  employeeType: ADVANCED_ONLY,
  companyName: ADVANCED_ONLY,
  mobilePhone: ADVANCED_ONLY,
  officeLocation: ADVANCED_ONLY,
  onPremisesImmutableId: ADVANCED_ONLY,
  postalCode: ADVANCED_ONLY,
  streetAddress: ADVANCED_ONLY,
};

const GROUP_RULES: Record<string, PropertyRule> = {
  id: rule('default', 'no', 'no', 'no'),
  displayName: rule('default', 'default', 'advanced', 'advanced'),
  mail: rule('default', 'default', 'advanced', 'advanced', 'default', 'advanced'),
  mailNickname: rule('default', 'default', 'advanced', 'advanced'),
  securityEnabled: rule('default', 'no', 'no', 'advanced'),
  mailEnabled: rule('default', 'no', 'no', 'advanced'),
  description: ADVANCED_ONLY,
};

function userRule(prop: string): PropertyRule | undefined {
  if (/^onPremisesExtensionAttributes\/extensionAttribute([1-9]|1[0-5])$/i.test(prop)) return ADVANCED_ONLY;
  if (/^extension_[0-9a-f]{32}_\w+$/i.test(prop)) return rule('default', 'no', 'no', 'default');
  const key = Object.keys(USER_RULES).find((k) => k.toLowerCase() === prop.toLowerCase());
  return key === undefined ? undefined : USER_RULES[key];
}

function groupRule(prop: string): PropertyRule | undefined {
  const key = Object.keys(GROUP_RULES).find((k) => k.toLowerCase() === prop.toLowerCase());
  return key === undefined ? undefined : GROUP_RULES[key];
}

/** Answers the 400 Graph gives for a filter that needs (or cannot use) advanced query parameters. */
export function checkFilter(
  node: FilterNode,
  resource: 'User' | 'Group',
  advanced: boolean,
): GraphResponse | undefined {
  for (const { node: leaf, negated } of filterLeaves(node)) {
    if (leaf.type !== 'cmp' && leaf.type !== 'in' && leaf.type !== 'func') continue;
    const propertyRule = resource === 'User' ? userRule(leaf.prop) : groupRule(leaf.prop);
    if (!propertyRule) return unsupportedFilterClause(leaf.prop, resource);
    const [operatorName, support] = supportOf(leaf, propertyRule);
    if (support === 'no') return unsupportedFilterClause(leaf.prop, resource);
    if (advanced) continue;
    if (negated) return advancedQueryRequired('Not');
    if (operatorName === 'ne' || operatorName === 'endsWith') {
      if (support !== 'default') return advancedQueryRequired(operatorName);
    }
    if (support === 'advanced') return unsupportedFilterClause(leaf.prop, resource);
  }
  return undefined;
}

function supportOf(leaf: FilterNode, r: PropertyRule): [string, Support] {
  if (leaf.type === 'in') return ['in', r.in];
  if (leaf.type === 'func') return leaf.name === 'startswith' ? ['startsWith', r.startswith] : ['endsWith', r.endswith];
  if (leaf.type !== 'cmp') return ['', 'no'];
  if (leaf.op === 'eq') return ['eq', leaf.value === null ? r.eqNull : r.eq];
  if (leaf.op === 'ne') return ['ne', r.eq === 'no' ? 'no' : 'advanced'];
  return [leaf.op, r.range];
}
