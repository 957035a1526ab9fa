export type ExportKind = 'hr-users' | 'employee-profiles';
export type ExportRow = Record<string, unknown>;

/** Reads the backup export (rule 8.3) a page at a time, in id order. */
export interface ExportReader {
  /**
   * At most `limit` rows of `kind` with an id after `after` (from the first when null), each with
   * the given columns in that order; a column the reader does not know is an error.
   */
  page(kind: ExportKind, columns: readonly string[], after: string | null, limit: number): Promise<ExportRow[]>;
}
