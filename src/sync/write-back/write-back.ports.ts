/**
 * What the write-back engine (HR -> Entra) will need from the directory. The Graph gateway for user
 * writes implements it today; the engine itself comes with the write-back issue.
 */

/** A user as the directory answered: its id and its properties as Entra spells them. */
export interface WrittenUser {
  id: string;
  properties: Record<string, unknown>;
}

export interface UserWriteOptions {
  /** The user is synced from on-premises AD, so the directory may refuse some properties. */
  onPremisesSynced?: boolean;
}

/**
 * Writing users in the directory (Microsoft Graph). Properties travel as Entra spells them; which
 * HR field maps to which property is decided before this port is called.
 */
export interface UserWriter {
  createUser(properties: Record<string, unknown>): Promise<WrittenUser>;
  /** Sends only the properties given. */
  updateUser(id: string, changes: Record<string, unknown>, options?: UserWriteOptions): Promise<void>;
  /** A soft delete; deleting a user that is already gone is not an error. */
  deleteUser(id: string): Promise<void>;
  /** Assigns the manager, or removes it with null (removing an absent manager is not an error). */
  setManager(id: string, managerId: string | null): Promise<void>;
}
