import { describe, expect, it } from '@jest/globals';
import { dateIn, ianaZone, instantOfWallClock, wallClockIn } from '../../../src/domain/time-zones.js';

describe('ianaZone', () => {
  it('maps a Windows name to its IANA zone, keeps an IANA name, and knows no other', () => {
    expect(ianaZone('Romance Standard Time')).toBe('Europe/Paris');
    expect(ianaZone('Europe/Paris')).toBe('Europe/Paris');
    expect(ianaZone('Mars/Olympus')).toBeNull();
  });
});

describe('dateIn and wallClockIn', () => {
  it("read an instant on the zone's calendar and clock", () => {
    const lateEvening = new Date('2026-07-01T22:30:05Z');
    expect(dateIn(lateEvening, 'UTC')).toBe('2026-07-01');
    expect(dateIn(lateEvening, 'Europe/Paris')).toBe('2026-07-02');
    expect(wallClockIn(lateEvening, 'Europe/Paris')).toBe('2026-07-02T00:30:05');
    expect(wallClockIn(lateEvening, 'America/New_York')).toBe('2026-07-01T18:30:05');
  });
});

describe('instantOfWallClock', () => {
  it('is the instant a wall clock names in the zone, with or without seconds', () => {
    expect(instantOfWallClock('2026-07-01T09:00', 'Europe/Paris').toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(instantOfWallClock('2026-07-01T09:00:30', 'Europe/Paris').toISOString()).toBe('2026-07-01T07:00:30.000Z');
    expect(instantOfWallClock('2026-01-15T09:00', 'America/New_York').toISOString()).toBe('2026-01-15T14:00:00.000Z');
  });

  it("takes the zone's offset at the answer, not at the first guess, next to a daylight-saving change", () => {
    // Paris moves from +01:00 to +02:00 at 01:00 UTC on 29 March 2026: 01:30 there is still +01:00.
    expect(instantOfWallClock('2026-03-29T01:30', 'Europe/Paris').toISOString()).toBe('2026-03-29T00:30:00.000Z');
    expect(instantOfWallClock('2026-03-29T03:30', 'Europe/Paris').toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });
});
