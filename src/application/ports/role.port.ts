import type { HeldRole } from './hr-user.port.js';

export interface RoleView {
  id: string;
  name: string;
  protected: boolean;
  /** HR users holding the role. */
  holders: number;
  mappedGroups: Array<{ mappingId: string; groupId: string; groupDisplayName: string }>;
}

export interface RoleMappingView {
  id: string;
  groupId: string;
  groupDisplayName: string;
  roleId: string;
  roleName: string;
  createdAt: string;
}

/** HR roles (docs/rules.md#roles). Which users hold them is the HR user aggregate's. */
export interface RoleRepository {
  /** Ordered by name, case-insensitively. */
  list(): Promise<RoleView[]>;
  view(id: string): Promise<RoleView | null>;
  find(id: string): Promise<HeldRole | null>;
  /** Locks the role until the transaction ends. */
  lock(id: string): Promise<HeldRole | null>;
  /** The roles named exactly so. */
  findByNames(names: string[]): Promise<HeldRole[]>;
  /** The roles with these names compared case-insensitively (give the names in lower case). */
  findByLowerNames(lowerNames: string[]): Promise<HeldRole[]>;
  /**
   * The name of another role that has this name compared case-insensitively, or null. Serialised
   * with every other such check until the transaction ends: the unique index is case-sensitive.
   */
  nameTakenBy(name: string, exceptId: string | null): Promise<string | null>;
  protectedNames(): Promise<string[]>;
  create(name: string): Promise<string>;
  rename(id: string, name: string): Promise<void>;
}

/** Entra group -> HR role mappings (docs/rules.md#roles). */
export interface RoleMappingRepository {
  /** Ordered by group name, group id, role name. */
  list(): Promise<RoleMappingView[]>;
  view(id: string): Promise<RoleMappingView | null>;
  /** Locks the mapping until the transaction ends. */
  lock(id: string): Promise<RoleMappingView | null>;
  /** The new mapping's id; null when the group is already mapped to the role. */
  create(mapping: { groupId: string; groupDisplayName: string; roleId: string }): Promise<string | null>;
  isMapped(groupId: string, roleId: string): Promise<boolean>;
  changeRole(id: string, roleId: string): Promise<void>;
  remove(id: string): Promise<void>;
  count(): Promise<number>;
}
