import type { EmulatorContext } from '../emulator-context.js';
import type { GraphRequest, GraphResponse } from '../http/graph-types.js';
import { contextUrl, jsonResponse } from '../http/graph-types.js';

/**
 * GET /domains: the tenant's domains (https://learn.microsoft.com/graph/api/domain-list). Every
 * emulated domain is verified and managed; the first is the default and the `.onmicrosoft.com`
 * one is the initial domain (https://learn.microsoft.com/graph/api/resources/domain).
 */
export function listDomains(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const value = ctx.domains.map((id, index) => ({
    authenticationType: 'Managed',
    availabilityStatus: null,
    id,
    isAdminManaged: true,
    isDefault: index === 0,
    isInitial: id.endsWith('.onmicrosoft.com'),
    isRoot: true,
    isVerified: true,
    passwordNotificationWindowInDays: null,
    passwordValidityPeriodInDays: null,
    supportedServices: ['Email', 'OfficeCommunicationsOnline'],
    state: null,
  }));
  return jsonResponse(200, { '@odata.context': contextUrl(req, 'domains'), value });
}
