import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CalendarSyncRepository } from '../../../src/gateways/db/calendar-sync.repository.js';
import { openOrm, type Orm } from '../../../src/gateways/db/orm.js';
import { repositoriesFor } from '../../../src/gateways/db/repositories.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

describe('the calendar repositories on PostgreSQL (rules 6.1, 6.2)', () => {
  let db: TestDatabase;
  let orm: Orm;
  let userId: string;
  const store = () => new CalendarSyncRepository(orm.em.fork());

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openOrm({ clientUrl: db.url, poolSize: 2 });
    const [row] = await orm.em
      .fork()
      .execute<{ id: string }[]>(
        `insert into hr_user (email, entra_id) values ('ada@contoso.com', 'e-ada') returning id`,
      );
    userId = row!.id;
    await orm.em.fork().execute(`insert into hr_user (email) values ('hr-only@contoso.com')`);
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  it('reads a mailbox only for an active HR user linked to Entra, with the default choices', async () => {
    expect(await store().mailbox(userId)).toEqual({
      hrUserId: userId,
      entraId: 'e-ada',
      email: 'ada@contoso.com',
      syncEnabled: true,
      showPrivateDetails: false,
    });
    expect(await store().dueMailboxes()).toEqual([userId]);
    await repositoriesFor(orm.em.fork()).calendars.setOptions(userId, { syncEnabled: false });
    expect((await store().mailbox(userId))?.syncEnabled).toBe(false);
    expect(await store().dueMailboxes()).toEqual([]);
    await repositoriesFor(orm.em.fork()).calendars.setOptions(userId, { syncEnabled: true });
  });

  it('applies a plan in one go: adds, changes and removes', async () => {
    const base = { isDefault: false, enabled: false, ownerName: 'Ada', ownerAddress: 'ada@contoso.com' };
    await store().applyCalendarPlan(userId, {
      add: [
        { ...base, sourceId: 'main=', name: 'Calendar', isDefault: true, enabled: true },
        { ...base, sourceId: 'team=', name: 'Team' },
      ],
      change: [],
      remove: [],
    });
    const [main, team] = await repositoriesFor(orm.em.fork()).calendars.calendarsOf(userId);
    expect([main!.name, team!.name]).toEqual(['Calendar', 'Team']);
    await store().applyCalendarPlan(userId, {
      add: [],
      change: [{ ...base, id: team!.id, name: 'Team 2', enabled: true }],
      remove: [main!.id],
    });
    expect(await store().calendars(userId)).toEqual([
      { ...base, id: team!.id, sourceId: 'team=', name: 'Team 2', enabled: true },
    ]);
    expect(await repositoriesFor(orm.em.fork()).calendars.setEnabled(userId, main!.id, true)).toBe(false);
  });

  it('keeps the last 50 runs of a mailbox', async () => {
    const counts = {
      calendarsAdded: 0,
      calendarsRemoved: 0,
      eventsStored: 0,
      eventsRemoved: 0,
      eventsPushed: 0,
      conflicts: 0,
    };
    for (let i = 0; i < 55; i++)
      await store().recordRun({
        hrUserId: userId,
        trigger: 'schedule',
        startedAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
        status: 'succeeded',
        counts,
        conflicts: [],
        error: null,
      });
    const runs = await repositoriesFor(orm.em.fork()).calendars.runs(userId, 100);
    expect(runs).toHaveLength(50);
    expect(runs[0]!.startedAt).toBe('2026-01-01T00:54:00.000Z');
  });
});
