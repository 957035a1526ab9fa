/** The directory mirror, as far as the admin API touches it. */
export interface DirectoryChanges {
  /**
   * The next incremental run looks at these Entra users again, although nothing changed in Entra
   * (an HR admin changed something the run decides on: the account status, the roles).
   */
  markUsersChanged(entraIds: string[]): Promise<void>;
}
