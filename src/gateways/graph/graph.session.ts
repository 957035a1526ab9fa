import { DIRECTORY_WRITE_QUOTA, DirectoryWritePacer } from './directory-write.pacer.js';
import { GraphBatchWriter } from './graph-batch.writer.js';
import { createGraphClient } from './graph-client.factory.js';
import {
  resolveGraphConnectionOptions,
  type GraphConnectionOptions,
  type ResolvedGraphConnectionOptions,
} from './graph-connection.options.js';
import { GraphRequestExecutor } from './graph-request.executor.js';
import { GraphTokenProvider } from './graph-token.provider.js';

/**
 * What every Graph gateway of one connection shares: one token provider, one SDK client (so one
 * retry middleware with one concurrency budget) and one `$batch` writer. The composition root opens
 * one session per Entra connection and hands it to each gateway (directory reads, user writes,
 * connection checks; calendars and subscriptions join them the same way when they are built).
 */
export class GraphSession {
  readonly tokens: GraphTokenProvider;
  readonly executor: GraphRequestExecutor;
  readonly batcher: GraphBatchWriter;
  /** The connection's directory writes, paced to Graph's write quota (one app in one tenant). */
  readonly writePacer: DirectoryWritePacer;
  /** Without a version segment, e.g. https://graph.microsoft.com */
  readonly graphBaseUrl: string;
  readonly now: () => number;
  /** The connection's options, for gateways that talk to Entra rather than Graph (sign-in). */
  readonly options: ResolvedGraphConnectionOptions;

  constructor(options: GraphConnectionOptions) {
    const resolved = resolveGraphConnectionOptions(options);
    this.options = resolved;
    this.tokens = new GraphTokenProvider(resolved);
    this.executor = new GraphRequestExecutor(createGraphClient(resolved, this.tokens), resolved.now);
    this.writePacer = new DirectoryWritePacer({ ...DIRECTORY_WRITE_QUOTA, now: resolved.now, sleep: resolved.sleep });
    this.batcher = new GraphBatchWriter(this.executor, { ...resolved, writePacer: this.writePacer });
    this.graphBaseUrl = resolved.graphBaseUrl;
    this.now = resolved.now;
  }
}
