import type { ApplyRange } from '../../sync/inbound/apply.ports.js';

/**
 * The mirror users (alias `e` of entra_user) an apply over `range` looks at, as a condition and its
 * parameters: changed in the range (or all), among `onlyIds`, and the windows' rules of
 * src/sync/inbound/apply.ports.ts (ApplyRange).
 */
export function mirrorRangeSql(range: ApplyRange): { where: string; params: unknown[] } {
  const only = range.onlyIds ? JSON.stringify(range.onlyIds) : null;
  // [afterSeq, end1, end2, ...]: width_bucket(seq - 1, ends) + 1 indexes the end of seq's window.
  const ends = range.windowEnds?.length ? JSON.stringify([range.afterSeq, ...range.windowEnds]) : null;
  return {
    where: `(? or (e.changed_seq > ? and e.changed_seq <= ?))
      and (?::jsonb is null or e.entra_id in (select jsonb_array_elements_text(?::jsonb)))
      and (not ? or e.manager_entra_id is null or exists (select 1 from entra_user m where m.entra_id = e.manager_entra_id))
      and (?::jsonb is null or not coalesce((with w as (select array(select jsonb_array_elements_text(?::jsonb)::bigint) as ends)
           select e.changed_seq > w.ends[1] and e.changed_seq <= w.ends[array_length(w.ends, 1)] and (e.manager_entra_id is null
             or exists (select 1 from entra_user m where m.entra_id = e.manager_entra_id
                         and m.changed_seq <= w.ends[width_bucket(e.changed_seq - 1, w.ends) + 1])) from w), false))`,
    params: [range.all, range.afterSeq, range.uptoSeq, only, only, range.managerInMirror ?? false, ends, ends],
  };
}
