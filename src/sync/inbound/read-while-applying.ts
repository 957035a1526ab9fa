/**
 * The inbound channel's fetch stage with the apply stage overlapping it: while Graph's user pages
 * are still being read, the users already stored are applied, a window at a time, so a first sync
 * costs about the longer of the two stages rather than their sum.
 *
 * Who is in scope depends on group memberships, so windows open only once the groups stream has
 * been read to its end. A window applies the changes stored since the last one (at least
 * WINDOW_CHANGES of them), except users whose manager is not in the mirror yet: those, and anything
 * stored after the last window, are left to the pass after the read (ApplyRange.windowEnds).
 */
export const WINDOW_CHANGES = 2000;

export interface ReadWhileApplying<R> {
  /** Reads the users stream; `stored` is called after each stored page, before the next is stored. */
  readUsers(stored: () => Promise<void>): Promise<R>;
  readGroups(): Promise<R>;
  /** What must happen once memberships are known and before the first window (rule 3.2's look). */
  groupsRead(): Promise<void>;
  /** The mirror's change sequence now: called only while no page is being stored. */
  currentSeq(): Promise<number>;
  /** Applies the changes in (afterSeq, uptoSeq] whose manager is in the mirror. */
  applyWindow(afterSeq: number, uptoSeq: number): Promise<void>;
}

/**
 * Runs both streams and the windows; answers the streams' results and the ends of the windows
 * (none when no window opened).
 */
export async function readWhileApplying<R>(
  work: ReadWhileApplying<R>,
  afterSeq: number,
  windowChanges = WINDOW_CHANGES,
): Promise<{ users: R; groups: R; windowEnds: number[] }> {
  let open = false;
  let usersRead = false;
  // The highest sequence number known to be committed with nothing stored behind it.
  let stored = afterSeq;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const users = work
    .readUsers(async () => {
      // The users stream stores one page at a time and the groups stream has ended: no write is in
      // flight, so every number up to the sequence's current value is committed.
      if (!open) return;
      stored = await work.currentSeq();
      notify();
    })
    .finally(() => {
      usersRead = true;
      notify();
    });
  const groups = work.readGroups();
  const windows = (async () => {
    await groups;
    await work.groupsRead();
    open = true;
    const ends: number[] = [];
    let applied = afterSeq;
    while (!usersRead) {
      if (stored - applied >= windowChanges) {
        const upto = stored;
        await work.applyWindow(applied, upto);
        ends.push(upto);
        applied = upto;
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
      }
    }
    return ends;
  })();
  const [usersResult, groupsResult, windowEnds] = await Promise.all([users, groups, windows]);
  return { users: usersResult, groups: groupsResult, windowEnds };
}
