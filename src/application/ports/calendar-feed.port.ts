/** Where an employee's iCalendar feed stands (rule 6.4); the URL itself is shown once, when made. */
export interface CalendarFeedStatus {
  active: boolean;
  createdAt: string | null;
  /** The last time a calendar app read it (to the minute). */
  lastReadAt: string | null;
}

/** The employee's feed tokens, kept as their SHA-256 only (gateways/db). */
export interface CalendarFeedRepository {
  status(hrUserId: string): Promise<CalendarFeedStatus>;
  /** Makes `tokenHash` the user's one feed token: the previous one, if any, stops at once. */
  replace(hrUserId: string, tokenHash: string): Promise<CalendarFeedStatus>;
  /** False when the user had no feed. */
  revoke(hrUserId: string): Promise<boolean>;
  /** The active HR user a feed token opens (recording the read), or null. */
  open(tokenHash: string): Promise<{ hrUserId: string; name: string } | null>;
}
