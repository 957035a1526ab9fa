import { describe, expect, it } from '@jest/globals';
import { instantOf, wallClockAt } from '../../../src/emulator/calendar/time-zones.js';

const formats = new Map<string, Intl.DateTimeFormat>();

/** What the platform's time zone data says, asked directly for every instant (one formatter per zone: making one is the slow part). */
function platformWallClock(utcMs: number, zone: string) {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(utcMs)).map((p) => [p.type, Number(p.value)]));
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/St_Johns',
  'Asia/Katmandu',
  'Australia/Adelaide',
  'Pacific/Auckland',
  'America/Santiago',
];

describe("the emulator's wall clock (offsets remembered per quarter hour)", () => {
  it('agrees with the platform at every minute around daylight-saving changes and at random instants', () => {
    const instants: number[] = [];
    // Every minute of the days around the 2026 changes in Europe, North America and the southern hemisphere.
    for (const day of [
      '2026-03-08',
      '2026-03-29',
      '2026-04-05',
      '2026-09-06',
      '2026-09-27',
      '2026-10-25',
      '2026-11-01',
    ])
      for (let m = -36 * 60; m < 36 * 60; m += 1) instants.push(Date.parse(`${day}T00:00:00Z`) + m * 60_000 + 17_000);
    let seed = 7;
    for (let i = 0; i < 2000; i += 1) {
      seed = (seed * 48271) % 2147483647;
      instants.push(Date.parse('2020-01-01T00:00:00Z') + (seed % (10 * 365 * 86_400)) * 1000);
    }
    // Compared as text and checked once: 200,000 expect() calls would take most of the test's time.
    const disagreements: string[] = [];
    for (const zone of ZONES)
      for (const at of instants) {
        const ours = JSON.stringify(wallClockAt(at, zone));
        const platform = JSON.stringify(platformWallClock(at, zone));
        if (ours !== platform) disagreements.push(`${zone} ${new Date(at).toISOString()}: ${ours} vs ${platform}`);
      }
    expect(disagreements.slice(0, 5)).toEqual([]);
    expect(instants.length * ZONES.length).toBeGreaterThan(200_000);
  });

  it('takes the instant a wall clock stands for back to the same wall clock', () => {
    const wall = { year: 2026, month: 10, day: 25, hour: 9, minute: 30, second: 0 };
    expect(wallClockAt(instantOf(wall, 'Europe/Berlin'), 'Europe/Berlin')).toEqual(wall);
    expect(instantOf(wall, 'Europe/Berlin')).toBe(Date.parse('2026-10-25T08:30:00Z'));
  });
});
