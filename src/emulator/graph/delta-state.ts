import type { EmulatorContext } from '../emulator-context.js';
import { graphError } from '../http/graph-errors.js';
import type { GraphRequest, GraphResponse } from '../http/graph-types.js';
import { versionRoot } from '../http/graph-types.js';
import { decodePageToken, encodePageToken } from '../odata/page-token.js';

/**
 * What a delta skip or delta token carries: the original query options and a position either in the
 * initial listing (`ph: 'i'`) or in the change log (`ph: 'c'`) (tokens are opaque
 * and encode the query, https://learn.microsoft.com/graph/delta-query-overview).
 */
export interface DeltaState {
  k: 'u' | 'g';
  ep: number;
  iat: number;
  /**
   * Nonce so that a no-change round still gets a new token
   * (https://learn.microsoft.com/graph/delta-query-overview).
   */
  n: number;
  sel: string[] | null;
  f: string[] | null;
  ph: 'i' | 'c';
  /** Initial: change sequence when the round started. Changes: the round's starting sequence. */
  s: number;
  /** Changes: last sequence covered by this round (fixed on the round's first page). */
  t?: number;
  /** Changes: sequence already reported on previous pages of this round. */
  c?: number;
  /** Initial: last object id fully reported. */
  a?: string;
  /** Initial groups: a group split across pages and the member offset reached in it. */
  pg?: string;
  m?: number;
}

let nonce = 0;

/**
 * Links always name the function `/delta`, whichever alias the round started with (`delta()`,
 * `microsoft.graph.delta`, `microsoft.graph.delta()`): they are one function and the links are
 * opaque (https://learn.microsoft.com/graph/delta-query-users, the users/delta link examples).
 */
function deltaPath(kind: 'u' | 'g'): string {
  return kind === 'u' ? '/users/delta' : '/groups/delta';
}

export function deltaLinkFor(
  ctx: EmulatorContext,
  req: GraphRequest,
  state: Omit<DeltaState, 'ep' | 'iat' | 'n'>,
  kind: 'delta' | 'next',
): string {
  const full: DeltaState = { ...state, ep: ctx.deltaEpoch, iat: ctx.now(), n: ++nonce };
  const token = encodePageToken(full, ctx.tokenSecret);
  const param = kind === 'delta' ? '$deltatoken' : '$skiptoken';
  return `${versionRoot(req)}${deltaPath(state.k)}?${param}=${token}`;
}

export type TokenRead = { ok: true; state: DeltaState } | { ok: false; response: GraphResponse };

/**
 * Unknown, foreign, expired (older than deltaTokenMaxAgeMs) and epoch-expired tokens all answer the
 * 400 syncStateNotFound, or 410 Gone + Location when that switch is on
 * (https://learn.microsoft.com/graph/delta-query-overview#synchronization-reset).
 */
export function readDeltaToken(ctx: EmulatorContext, req: GraphRequest, raw: string, kind: 'u' | 'g'): TokenRead {
  const state = decodePageToken<DeltaState>(raw, ctx.tokenSecret);
  const valid =
    state !== undefined &&
    state.k === kind &&
    state.ep === ctx.deltaEpoch &&
    ctx.now() - state.iat <= ctx.deltaTokenMaxAgeMs &&
    (state.ph === 'i' || ctx.store.log.covers(state.s));
  if (valid) return { ok: true, state };
  return { ok: false, response: syncReset(ctx, req, kind, state?.sel ?? null) };
}

function syncReset(ctx: EmulatorContext, req: GraphRequest, kind: 'u' | 'g', select: string[] | null): GraphResponse {
  if (ctx.settings.deltaExpiredMode === '410') {
    const query = select ? `$select=${select.join(',')}&$deltatoken=` : '$deltatoken=';
    return graphError(
      410,
      'resyncRequired',
      'The delta token is no longer valid, and the app must reset the sync state.',
      undefined,
      { Location: `${versionRoot(req)}${deltaPath(kind)}?${query}` },
    );
  }
  return graphError(
    400,
    'syncStateNotFound',
    'The sync state generation is not found. The delta token is expired and data must be synchronized again.',
  );
}

/** `Prefer: return=minimal` on a delta request (https://learn.microsoft.com/graph/api/user-delta). */
export function prefersMinimal(req: GraphRequest): boolean {
  return /return=minimal/i.test(req.headers['prefer'] ?? '');
}
