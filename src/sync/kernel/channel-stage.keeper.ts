import type { ChannelId } from './channel-id.js';
import type { ChannelState, ChannelStateStore } from './channel-state.ports.js';
import { stageChange, type ChannelEvent, type ChannelStage } from './channel-stages.js';

/**
 * The stage of one channel during one run, changed only as the stage table allows and recorded
 * at each change. The run holds the channel's lock, so it alone changes the channel meanwhile.
 */
export class ChannelStageKeeper {
  private stage: ChannelStage | null = null;

  constructor(
    private readonly store: ChannelStateStore,
    readonly channel: ChannelId,
    private readonly kind: string,
  ) {}

  /** Whether the run has started the channel (and so must record how it ends). */
  get started(): boolean {
    return this.stage !== null;
  }

  /** A run starts: the channel's state as it was, then `start` recorded. */
  async start(): Promise<ChannelState> {
    const state = await this.store.open(this.channel, this.kind);
    this.stage = state.stage;
    await this.change('start');
    return state;
  }

  /** Records `on`; throws IllegalStageChange when the stage table does not allow it now. */
  async change(on: ChannelEvent): Promise<void> {
    if (this.stage === null) throw new Error(`the sync channel ${this.channel} has not been started by this run`);
    const from = this.stage;
    const { to, outcome } = stageChange(this.channel, from, on);
    // Moved before it is recorded: work still settling after a stop cannot change it again.
    this.stage = to;
    if (!(await this.store.changeStage(this.channel, { from, to, outcome })))
      throw new Error(`the sync channel ${this.channel} left the ${from} stage while this run held its lock`);
  }
}
