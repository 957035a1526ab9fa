import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GraphCalendarsGateway, GraphSession } from '../../../src/gateways/graph/index.js';
import { gatewayOptions, startTrustedEmulator, type RunningEmulator } from './graph-emulator.harness.js';

describe('the calendars gateway against the emulator (docs/graph.md §11)', () => {
  let emulator: RunningEmulator;
  let gateway: GraphCalendarsGateway;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    emulator = await startTrustedEmulator({ seed: false });
    gateway = new GraphCalendarsGateway(new GraphSession(gatewayOptions(emulator)));
    for (const name of ['Ada', 'Bob'])
      ids[name] = (
        await emulator.control.createUser({ displayName: name, mail: `${name.toLowerCase()}@contoso.com` })
      ).id;
  });
  afterAll(() => emulator.close());

  it('lists own and shared calendars with canEdit and owner, through every page', async () => {
    const c = emulator.control.calendars;
    for (let i = 0; i < 120; i++) await c.createCalendar(ids.Ada!, { name: `Extra ${i}` });
    const bobMain = (await c.listCalendars(ids.Bob!))[0]!['id'] as string;
    await c.shareCalendar(ids.Bob!, bobMain, { shareeId: ids.Ada!, role: 'read' });
    const calendars = await gateway.listCalendars(ids.Ada!);
    expect(calendars).toHaveLength(122);
    expect(calendars[0]).toEqual({
      sourceId: expect.stringMatching(/=$/),
      name: 'Calendar',
      isDefault: true,
      canEdit: true,
      owner: { name: 'Ada', address: 'ada@contoso.com' },
    });
    expect(calendars.at(-1)).toMatchObject({ name: 'Bob', isDefault: false, canEdit: false, owner: { name: 'Bob' } });
  });

  it('reports a user without a mailbox as not found', async () => {
    const noMail = await emulator.control.createUser({ displayName: 'No Mail' });
    await expect(gateway.listCalendars(noMail.id)).rejects.toMatchObject({
      kind: 'not-found',
      code: 'MailboxNotEnabledForRESTAPI',
    });
  });
});
