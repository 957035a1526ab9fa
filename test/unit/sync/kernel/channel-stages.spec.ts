import { describe, expect, it } from '@jest/globals';
import {
  CHANNEL_STAGES,
  IllegalStageChange,
  STAGE_CHANGES,
  isChannelStage,
  stageChange,
  type ChannelEvent,
  type ChannelStage,
} from '../../../../src/sync/kernel/channel-stages.js';

const EVENTS: ChannelEvent[] = ['start', 'fetched', 'succeed', 'fail', 'stop'];

// Every (stage, event) pair and where it leads; '-' where the table must refuse.
const EXPECTED: Record<ChannelStage, Record<ChannelEvent, ChannelStage | '-'>> = {
  idle: { start: 'fetching', fetched: '-', succeed: '-', fail: '-', stop: '-' },
  fetching: { start: 'fetching', fetched: 'applying', succeed: '-', fail: 'failed', stop: 'idle' },
  applying: { start: 'fetching', fetched: '-', succeed: 'idle', fail: 'failed', stop: 'idle' },
  failed: { start: 'fetching', fetched: '-', succeed: '-', fail: '-', stop: '-' },
};

describe('the stage table of a sync channel', () => {
  for (const from of CHANNEL_STAGES) {
    for (const on of EVENTS) {
      const to = EXPECTED[from][on];
      if (to === '-') {
        it(`refuses to ${on} while ${from}`, () => {
          expect(() => stageChange('entra-inbound', from, on)).toThrow(IllegalStageChange);
          expect(() => stageChange('entra-inbound', from, on)).toThrow(
            `the sync channel entra-inbound cannot ${on} while ${from}`,
          );
        });
      } else {
        it(`${from} --${on}--> ${to}`, () => {
          expect(stageChange('entra-inbound', from, on).to).toBe(to);
        });
      }
    }
  }

  it('lists each (stage, event) pair at most once, so a change is never ambiguous', () => {
    const pairs = STAGE_CHANGES.map((c) => `${c.from}/${c.on}`);
    expect(new Set(pairs).size).toBe(pairs.length);
  });

  it('records success only when a run ends well, and a failure only when it fails', () => {
    for (const change of STAGE_CHANGES) {
      expect(change.outcome).toBe(change.on === 'succeed' ? 'success' : change.on === 'fail' ? 'failure' : null);
    }
  });

  it('reaches every stage from idle, and idle again from every stage', () => {
    const reachable = (start: ChannelStage) => {
      const seen = new Set<ChannelStage>([start]);
      for (let grew = true; grew;) {
        grew = false;
        for (const c of STAGE_CHANGES)
          if (seen.has(c.from) && !seen.has(c.to)) {
            seen.add(c.to);
            grew = true;
          }
      }
      return seen;
    };
    expect([...reachable('idle')].sort()).toEqual([...CHANNEL_STAGES].sort());
    for (const stage of CHANNEL_STAGES) expect(reachable(stage).has('idle')).toBe(true);
  });

  it('knows its stages and nothing else', () => {
    expect(isChannelStage('applying')).toBe(true);
    expect(isChannelStage('queued')).toBe(false);
  });
});
