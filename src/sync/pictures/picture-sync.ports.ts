/** What picture sync needs from the outside world: Graph's photos, and where HR keeps pictures. */

/** Where pictures come from (Graph's profile photo); null when the user has none. */
export interface PictureSource {
  getPhoto(entraId: string): Promise<{ bytes: Uint8Array; contentType: string } | null>;
}

/** An HR user whose picture is due for a check, with the hash of the picture HR holds now. */
export interface DuePicture {
  hrUserId: string;
  entraId: string;
  sha256: string | null;
}

/** One user's check: the picture read (null: the user has none), and whether it differs from HR's. */
export interface PictureCheck {
  hrUserId: string;
  picture: { bytes: Uint8Array; contentType: string; sha256: string } | null;
  changed: boolean;
}

/**
 * HR's pictures (gateways/db). A picture is due when the HR user is active, linked to Entra, not
 * connected to an employee profile (rule 2.5), and never checked or checked `maxAgeDays` ago.
 */
export interface PictureStore {
  /** At most `limit` due HR users, never checked first, then longest ago. */
  dueUserIds(limit: number, maxAgeDays: number): Promise<string[]>;
  /** Those of `hrUserIds` that are still due: a batch queued earlier may have been overtaken. */
  dueAmong(hrUserIds: readonly string[], maxAgeDays: number): Promise<DuePicture[]>;
  /**
   * Marks every user given as checked now; a changed picture replaces HR's (and the HR user's
   * picture source becomes Entra), in one transaction.
   */
  record(checks: readonly PictureCheck[]): Promise<void>;
}
