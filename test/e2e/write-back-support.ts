import { expect } from '@jest/globals';
import pg from 'pg';
import type { WriteBackChangeView } from '../../src/application/ports/write-back.port.js';
import { CHANNEL_LOCK_CLASS, channelLockKey } from '../../src/gateways/db/channel-locks.js';
import { WRITE_BACK_CHANNEL_ID } from '../../src/sync/kernel/channel-id.js';
import type { InboundWorld } from './inbound-support.js';

export type ChangeRow = WriteBackChangeView;

/** Every change of write-back's outbox through the admin API, oldest first; `query` as the API takes it. */
export async function outbox(world: InboundWorld, query = ''): Promise<ChangeRow[]> {
  const all: ChangeRow[] = [];
  let after = '';
  for (;;) {
    const page = await world.ok<{ items: ChangeRow[]; next: string | null }>(
      `/api/admin/write-back/changes?limit=500${query ? `&${query}` : ''}${after ? `&after=${after}` : ''}`,
    );
    all.push(...page.items);
    if (page.next === null) return all.reverse();
    after = page.next;
  }
}

/** Waits until no change is pending (the drain has settled everything), then answers the outbox. */
export async function drained(world: InboundWorld, timeoutMs = 30_000): Promise<ChangeRow[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await outbox(world, 'status=pending')).length === 0) return outbox(world);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `write-back changes still pending after ${timeoutMs} ms: ${JSON.stringify(await outbox(world, 'status=pending'))}`,
  );
}

/**
 * Holds the write-back channel's lock from outside the service, as another instance's drain would:
 * the service's drains wait, so changes made meanwhile pile up and go out together on release.
 */
export async function holdDrain(world: InboundWorld): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: world.h.db.url });
  await client.connect();
  await client.query('select pg_advisory_lock($1::int, $2::int)', [
    CHANNEL_LOCK_CLASS,
    channelLockKey(WRITE_BACK_CHANNEL_ID),
  ]);
  return {
    async release() {
      await client.end();
    },
  };
}

/** The Entra user's properties in the emulator. */
export async function entraUser(world: InboundWorld, id: string): Promise<Record<string, unknown>> {
  const user = await world.control.getUser(id);
  expect(user).not.toBeNull();
  return user!.props;
}

/** Graph requests the emulator served by route since its stats were last reset. */
export async function requestsByRoute(world: InboundWorld): Promise<Record<string, number>> {
  return (await world.control.stats()).byRoute;
}
