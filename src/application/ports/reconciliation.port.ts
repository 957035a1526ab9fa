export interface ReconciliationReport {
  /** Entra users in a synced group with no HR user, and why (the last reason a run gave). */
  entraUsersWithoutHrUser: {
    total: number;
    items: Array<{ entraId: string; email: string | null; displayName: string | null; reason: string }>;
  };
  /** Active HR users that no Entra user is linked to. */
  hrUsersWithoutEntraLink: { total: number; items: Array<{ id: string; email: string; origin: string }> };
  /** Linked pairs whose e-mails differ (the link is the object id, rule 2.2, so this is information). */
  emailMismatches: {
    total: number;
    items: Array<{ id: string; hrEmail: string; entraEmail: string | null; entraId: string }>;
  };
}

/**
 * The directory mirror (as of the last run) compared with the HR users. Read-only; each list is
 * capped at `limit` rows, with its full count beside it.
 */
export interface ReconciliationQueries {
  report(
    scope: { syncedGroupIds: string[]; followNestedGroups: boolean },
    limit: number,
  ): Promise<ReconciliationReport>;
}
