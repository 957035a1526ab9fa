import type { Logger } from 'pino';
import { mapWithConcurrency } from './concurrency.limiter.js';
import type { DirectoryWritePacer } from './directory-write.pacer.js';
import {
  chunk,
  correlateResponses,
  isThrottled,
  largestRetryAfterMs,
  toWireRequests,
  type GraphBatchItemResult,
  type GraphBatchRequest,
} from './graph-batch.plan.js';
import { GraphGatewayError, isGraphGatewayError } from './graph-gateway.error.js';
import type { GraphRequestExecutor } from './graph-request.executor.js';
import { decideRetry, type RetryPolicyConfig, type RetryState } from './graph-retry.policy.js';

export interface GraphBatchWriterOptions extends RetryPolicyConfig {
  concurrency: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  logger: Logger;
  /** Paces the items that write (every method but GET) to Graph's write quota. */
  writePacer?: DirectoryWritePacer;
}

/**
 * JSON batching (https://learn.microsoft.com/graph/json-batching): requests go out in `$batch` calls of 20,
 * at most `concurrency` at once; answers are matched by id. The SDK's retry does not look inside a batch, so
 * items answered 429/503/504 are sent again, only those, after the largest Retry-After among them, within the
 * same bounds as any request (maxRetries, maxTotalRetryWaitMs). Items are independent: `dependsOn` is not
 * offered, since a retried item would lose its ordering.
 */
export class GraphBatchWriter {
  constructor(
    private readonly executor: GraphRequestExecutor,
    private readonly options: GraphBatchWriterOptions,
  ) {}

  /** One result per request, in the order given. Never throws for an item; only for bad input. */
  async batch(requests: readonly GraphBatchRequest[]): Promise<GraphBatchItemResult[]> {
    assertUniqueIds(requests);
    const results = new Map<string, GraphBatchItemResult>();
    const state: RetryState = { retriesDone: 0, waitedMs: 0 };
    let pending: readonly GraphBatchRequest[] = requests;
    while (pending.length > 0) {
      const outcomes = await mapWithConcurrency(chunk(pending), this.options.concurrency, (part) => this.send(part));
      const answered = outcomes.flatMap((outcome) => outcome.answered);
      // A $batch call that failed as a whole was already retried by the middleware: final.
      for (const result of outcomes.flatMap((outcome) => outcome.failed)) results.set(result.id, result);
      const throttled = answered.filter(isThrottled);
      if (throttled.some((result) => writes(requests.find((request) => request.id === result.id)!)))
        this.options.writePacer?.spent();
      for (const result of answered) if (!isThrottled(result)) results.set(result.id, result);
      if (throttled.length === 0) break;
      const decision = decideRetry(state, largestRetryAfterMs(throttled, this.options.now()), this.options);
      if (!decision.retry) {
        this.options.logger.warn(
          { items: throttled.length, reason: decision.reason },
          'Graph $batch gave up on throttled items',
        );
        for (const result of throttled) results.set(result.id, result);
        break;
      }
      state.retriesDone++;
      state.waitedMs += decision.delayMs;
      this.options.logger.debug(
        { items: throttled.length, delayMs: decision.delayMs },
        'Graph $batch retrying throttled items',
      );
      await this.options.sleep(decision.delayMs);
      const retryIds = new Set(throttled.map((result) => result.id));
      pending = requests.filter((request) => retryIds.has(request.id));
    }
    return requests.map((request) => results.get(request.id) as GraphBatchItemResult);
  }

  /** One `$batch` call. If the call itself fails, every item in it carries that error. */
  private async send(part: GraphBatchRequest[]): Promise<SendOutcome> {
    await this.options.writePacer?.take(part.filter(writes).length);
    try {
      const body = await this.executor.send<unknown>('POST', '/$batch', { requests: toWireRequests(part) });
      return { answered: correlateResponses(part, body, this.options.now()), failed: [] };
    } catch (error) {
      if (!isGraphGatewayError(error)) throw error;
      const failed = part.map((request) => ({
        id: request.id,
        status: error.status ?? 0,
        headers: {},
        body: undefined,
        error,
      }));
      return { answered: [], failed };
    }
  }
}

function writes(request: GraphBatchRequest): boolean {
  return request.method !== 'GET';
}

interface SendOutcome {
  answered: GraphBatchItemResult[];
  failed: GraphBatchItemResult[];
}

function assertUniqueIds(requests: readonly GraphBatchRequest[]): void {
  const seen = new Set<string>();
  for (const request of requests) {
    if (seen.has(request.id)) {
      throw new GraphGatewayError({
        kind: 'bad-request',
        code: 'DuplicateBatchId',
        graphMessage: `Batch request id '${request.id}' is used more than once`,
      });
    }
    seen.add(request.id);
  }
}
