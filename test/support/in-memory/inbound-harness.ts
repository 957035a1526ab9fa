import { pino } from 'pino';
import { InboundSyncService, type RunProblemNotifier } from '../../../src/sync/inbound/inbound-sync.service.js';
import type { RunRecord, SyncRunTrigger } from '../../../src/sync/inbound/sync-run.ports.js';
import { FailurePolicy } from '../../../src/sync/kernel/error-policy.js';
import { classifyFake, FakeDirectory } from './fake-directory.js';
import { inMemoryInboundStores } from './index.js';
import { InboundState, type HrUserRow } from './inbound-state.js';

/** The inbound engine over in-memory stores and a fake directory: no database, no Graph. */
export function inboundHarness(options: { applyWindowChanges?: number } = {}) {
  const state = new InboundState();
  const directory = new FakeDirectory();
  const announced: RunRecord[] = [];
  const notifier: RunProblemNotifier = { notifyRunProblem: async (run) => void announced.push(run) };
  const engine = new InboundSyncService({
    stores: () => inMemoryInboundStores(state),
    directory: () => directory,
    failures: new FailurePolicy(classifyFake),
    logger: pino({ level: 'silent' }),
    notifier,
    instance: 'unit-test',
    timeLimitMs: 60_000,
    throttleWaitLimitMs: 60_000,
    ...options,
  });
  const stores = inMemoryInboundStores(state);
  return {
    state,
    directory,
    engine,
    stores,
    announced,
    /** Runs the engine; answers the run as recorded. */
    async run(trigger: SyncRunTrigger = 'manual', mode: 'incremental' | 'full' = 'incremental') {
      const result = await engine.run({ trigger, mode });
      return { ...result, record: (await stores.runs.get(result.runId))! };
    },
    /** The HR user linked to an Entra user, or holding an e-mail. */
    hr(key: string): HrUserRow | undefined {
      return [...state.hrUsers.values()].find((u) => u.entraId === key || u.email === key);
    },
    outcomes(runId: string) {
      return state.outcomes.filter((o) => o.runId === runId);
    },
  };
}

/** An Entra user's properties as Graph answers them. */
export function person(given: string, surname: string, more: Record<string, unknown> = {}) {
  return {
    givenName: given,
    surname,
    displayName: `${given} ${surname}`,
    mail: `${given.toLowerCase()}@contoso.test`,
    userPrincipalName: `${given.toLowerCase()}@contoso.test`,
    accountEnabled: true,
    ...more,
  };
}
