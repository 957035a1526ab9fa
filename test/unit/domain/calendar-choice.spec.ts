import { describe, expect, it } from '@jest/globals';
import {
  calendarKind,
  enableRefusal,
  planCalendars,
  type HrCalendar,
  type MailboxCalendar,
} from '../../../src/domain/calendar-choice.js';

const ada = { name: 'Ada', address: 'ada@contoso.com' };
const bob = { name: 'Bob', address: 'bob@contoso.com' };
const listed = (sourceId: string, extra: Partial<MailboxCalendar> = {}): MailboxCalendar => ({
  sourceId,
  name: sourceId,
  isDefault: false,
  canEdit: true,
  owner: ada,
  ...extra,
});
const held = (sourceId: string, extra: Partial<HrCalendar> = {}): HrCalendar => ({
  id: `hr-${sourceId}`,
  sourceId,
  name: sourceId,
  isDefault: false,
  enabled: false,
  ownerName: 'Ada',
  ownerAddress: 'ada@contoso.com',
  ...extra,
});

describe('planCalendars (rule 6.2: which calendars appear in HR)', () => {
  it('adds every editable calendar: the default enabled, the others disabled', () => {
    const plan = planCalendars(
      [],
      [
        listed('main', { isDefault: true }),
        listed('team'),
        listed('bob-shared', { owner: bob }),
        listed('read-only', { canEdit: false, owner: bob }),
      ],
    );
    expect(plan.add.map((c) => [c.sourceId, c.isDefault, c.enabled])).toEqual([
      ['main', true, true],
      ['team', false, false],
      ['bob-shared', false, false],
    ]);
    expect(plan.add[2]).toMatchObject({ ownerName: 'Bob', ownerAddress: 'bob@contoso.com' });
    expect(plan.change).toEqual([]);
    expect(plan.remove).toEqual([]);
  });

  it("keeps the employee's choice, and changes only what Outlook changed", () => {
    const plan = planCalendars(
      [held('main', { isDefault: true, enabled: true }), held('team', { enabled: true }), held('other')],
      [listed('main', { isDefault: true }), listed('team', { name: 'Team (renamed)' }), listed('other')],
    );
    expect(plan.add).toEqual([]);
    expect(plan.change).toEqual([
      {
        id: 'hr-team',
        name: 'Team (renamed)',
        isDefault: false,
        enabled: true,
        ownerName: 'Ada',
        ownerAddress: 'ada@contoso.com',
      },
    ]);
    expect(plan.remove).toEqual([]);
  });

  it('changes a calendar that is no longer the default one, and keeps it enabled', () => {
    const plan = planCalendars([held('main', { isDefault: true, enabled: true })], [listed('main')]);
    expect(plan.change).toEqual([
      {
        id: 'hr-main',
        name: 'main',
        isDefault: false,
        enabled: true,
        ownerName: 'Ada',
        ownerAddress: 'ada@contoso.com',
      },
    ]);
  });

  it('removes a calendar that disappeared or lost edit rights', () => {
    const plan = planCalendars(
      [
        held('main', { isDefault: true, enabled: true }),
        held('gone', { enabled: true }),
        held('demoted', { enabled: true }),
      ],
      [listed('main', { isDefault: true }), listed('demoted', { canEdit: false })],
    );
    expect(plan.remove.sort()).toEqual(['hr-demoted', 'hr-gone']);
    expect(plan.add).toEqual([]);
  });

  it('enables the default calendar HR holds disabled', () => {
    const plan = planCalendars([held('main', { isDefault: true })], [listed('main', { isDefault: true })]);
    expect(plan.change).toEqual([expect.objectContaining({ id: 'hr-main', isDefault: true, enabled: true })]);
  });

  it("changes a calendar whose owner's name or address changed", () => {
    const renamed = planCalendars([held('team')], [listed('team', { owner: { ...ada, name: 'Ada L.' } })]);
    expect(renamed.change).toEqual([expect.objectContaining({ id: 'hr-team', ownerName: 'Ada L.' })]);
    const moved = planCalendars([held('team')], [listed('team', { owner: { ...ada, address: 'ada@fabrikam.com' } })]);
    expect(moved.change).toEqual([expect.objectContaining({ id: 'hr-team', ownerAddress: 'ada@fabrikam.com' })]);
  });

  it('enables a calendar that becomes the default one', () => {
    const plan = planCalendars([held('team')], [listed('team', { isDefault: true })]);
    expect(plan.change).toEqual([expect.objectContaining({ id: 'hr-team', isDefault: true, enabled: true })]);
  });

  it('takes a calendar without owner as one without owner', () => {
    expect(planCalendars([], [listed('x', { owner: null })]).add[0]).toMatchObject({
      ownerName: null,
      ownerAddress: null,
    });
  });
});

describe('enableRefusal and calendarKind', () => {
  it('refuses to disable the default calendar only', () => {
    expect(enableRefusal({ isDefault: true }, false)).toMatch(/always enabled/);
    expect(enableRefusal({ isDefault: true }, true)).toBeNull();
    expect(enableRefusal({ isDefault: false }, false)).toBeNull();
  });

  it('calls a calendar shared when someone else owns it, comparing addresses without case', () => {
    expect(calendarKind({ isDefault: false, ownerAddress: 'Bob@Contoso.com' }, ['ada@contoso.com'])).toBe('shared');
    expect(calendarKind({ isDefault: false, ownerAddress: 'ADA@contoso.com' }, ['ada@contoso.com'])).toBe('own');
    expect(calendarKind({ isDefault: true, ownerAddress: 'bob@contoso.com' }, ['ada@contoso.com'])).toBe('own');
    expect(calendarKind({ isDefault: false, ownerAddress: null }, ['ada@contoso.com'])).toBe('own');
  });

  it('calls a calendar own when its owner is any one of the mailbox addresses', () => {
    const addresses = ['ada@contoso.com', 'ada.lovelace@contoso.com'];
    expect(calendarKind({ isDefault: false, ownerAddress: 'ada.lovelace@contoso.com' }, addresses)).toBe('own');
  });
});
