/**
 * The stages of a sync channel and every change allowed between them, written down once. The
 * engine asks this table before it records a change; a change the table does not list throws, so
 * a run can never, for example, record success for a channel it has not fetched.
 *
 *   idle ──start──▶ fetching ──fetched──▶ applying ──succeed──▶ idle
 *                      │                     │
 *                      └──fail / stop────────┴──▶ failed / idle
 */
export const CHANNEL_STAGES = ['idle', 'fetching', 'applying', 'failed'] as const;
export type ChannelStage = (typeof CHANNEL_STAGES)[number];

/**
 * What happens to a channel: a run starts, its fetch stage has stored every page, it ends well,
 * it fails (an error, the time limit), or it is stopped without failing (an admin's cancel, a
 * shutdown: the next run resumes from the stored cursors).
 */
export type ChannelEvent = 'start' | 'fetched' | 'succeed' | 'fail' | 'stop';

/** What a change does to the channel's record beyond its stage. */
export type ChannelOutcome = 'success' | 'failure' | null;

export interface StageChange {
  from: ChannelStage;
  on: ChannelEvent;
  to: ChannelStage;
  /** success: failures in a row back to 0, last success now; failure: one more failure in a row. */
  outcome: ChannelOutcome;
  why: string;
}

export const STAGE_CHANGES: readonly StageChange[] = [
  { from: 'idle', on: 'start', to: 'fetching', outcome: null, why: 'a run starts' },
  { from: 'failed', on: 'start', to: 'fetching', outcome: null, why: 'a run starts after a failed one' },
  // Only the holder of the channel's lock records changes: a channel found in the middle of a stage
  // was left there by a run whose process died (docs/rules.md, section 8); the new run starts over
  // from the stored cursors.
  { from: 'fetching', on: 'start', to: 'fetching', outcome: null, why: 'the last run died while fetching' },
  { from: 'applying', on: 'start', to: 'fetching', outcome: null, why: 'the last run died while applying' },
  { from: 'fetching', on: 'fetched', to: 'applying', outcome: null, why: 'every page is stored' },
  { from: 'applying', on: 'succeed', to: 'idle', outcome: 'success', why: 'the run ended well' },
  { from: 'fetching', on: 'fail', to: 'failed', outcome: 'failure', why: 'the fetch failed' },
  { from: 'applying', on: 'fail', to: 'failed', outcome: 'failure', why: 'the apply failed' },
  { from: 'fetching', on: 'stop', to: 'idle', outcome: null, why: 'stopped while fetching' },
  { from: 'applying', on: 'stop', to: 'idle', outcome: null, why: 'stopped while applying' },
];

export class IllegalStageChange extends Error {
  override name = 'IllegalStageChange';
  constructor(
    readonly channel: string,
    readonly from: ChannelStage,
    readonly on: ChannelEvent,
  ) {
    super(`the sync channel ${channel} cannot ${on} while ${from}`);
  }
}

/** The change `on` makes from `from`; throws IllegalStageChange when the table has none. */
export function stageChange(channel: string, from: ChannelStage, on: ChannelEvent): StageChange {
  const change = STAGE_CHANGES.find((c) => c.from === from && c.on === on);
  if (!change) throw new IllegalStageChange(channel, from, on);
  return change;
}

export function isChannelStage(value: string): value is ChannelStage {
  return (CHANNEL_STAGES as readonly string[]).includes(value);
}
