/*
 * What a field of the HR field catalogue (hr-field.catalogue.ts) says about itself, and the kinds of
 * field the catalogue is mostly made of, so its entries stay one line each.
 */
import type { FieldOwner } from './ownership.js';

/** A picture is bytes read through Graph's photo endpoint, never through the attribute mapping. */
export type HrFieldType = 'text' | 'date' | 'boolean' | 'picture';

export interface HrFieldOwnership {
  readonly default: FieldOwner;
  /** Whether the admin chooses the owner (rule 2.4); otherwise the rules fix it to `default`. */
  readonly configurable: boolean;
}

export interface HrFieldStorage {
  readonly required: boolean;
  /** The record holds the field as a link to another record of its kind, under this name (the manager). */
  readonly linkAs?: string;
}

export interface HrFieldDefinition {
  readonly label: string;
  /** The Graph user property the default mapping reads; null when Entra does not provide it. */
  readonly entra: string | null;
  readonly type: HrFieldType;
  /** The longest text value a record keeps. */
  readonly maxLength?: number;
  /** Who writes the field; null when it is no one's to own (read only to find the manager). */
  readonly owner: HrFieldOwnership | null;
  /**
   * The Graph user property the field is written to when the admin permits it for write-back
   * (rule 4.1): `manager` goes through the manager reference, a dotted path into a complex property
   * (the extension attributes). Null: never written to Entra.
   */
  readonly writeBack: string | null;
  /** Whether an HR admin may edit it on an HR user (rule 8.5 then decides per user). */
  readonly hrEditable: boolean;
  readonly scim: string | null;
  readonly stored: { readonly hrUser?: HrFieldStorage; readonly employeeProfile?: HrFieldStorage };
}

export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const CHOSEN = { default: 'entra-until-profile', configurable: true } as const;
export const OPTIONAL = { required: false } as const;
export const REQUIRED = { required: true } as const;
export const BOTH = { hrUser: OPTIONAL, employeeProfile: OPTIONAL } as const;

/** Synced from Entra, owned as the admin chooses, editable in HR, stored on both records; written back to where it is read. */
export function synced<E extends string>(label: string, entra: E, scim: string | null, maxLength: number) {
  return {
    label,
    entra,
    type: 'text',
    maxLength,
    owner: CHOSEN,
    writeBack: entra,
    hrEditable: true,
    scim,
    stored: BOTH,
  } as const;
}

/**
 * Kept on the employee profile only and never read from Entra: HR's data, which write-back may send
 * to this Graph property (rule 4.1). Lengths are Graph's (docs/graph.md §2.4).
 */
export function profileOnly<W extends string>(label: string, writeBack: W, maxLength: number) {
  return {
    label,
    entra: null,
    type: 'text',
    maxLength,
    owner: null,
    writeBack,
    hrEditable: false,
    scim: null,
    stored: { employeeProfile: OPTIONAL },
  } as const;
}

/**
 * onPremisesExtensionAttributes.extensionAttributeN (1-15), up to 1024 characters each
 * (https://learn.microsoft.com/graph/api/resources/onpremisesextensionattributes); written only
 * for cloud-only users (rule 4.4). Reading them into HR is the custom attribute mapping's (rule 2.6).
 */
export const extension = <N extends number>(n: N) =>
  profileOnly(`Extension attribute ${n}`, `onPremisesExtensionAttributes.extensionAttribute${n}` as const, 1024);
