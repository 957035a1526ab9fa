import { describe, expect, it } from '@jest/globals';
import { assertCalendarDate, isCalendarDate } from '../../../src/domain/calendar-date.js';

describe('calendar dates', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2026-12-31', true],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['0099-01-01', true],
    ['2026-1-01', false],
    [' 2026-01-01', false],
    ['', false],
    ['2026-04-31', false],
    ['2026-12-32', false],
    ['2026-01-00', false],
    ['2026-01-99', false],
    ['0000-01-01', true],
    ['2026-01-01x', false],
    ['x2026-01-01', false],
  ])('%j -> %s', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });

  it('names the faulty argument', () => {
    expect(() => assertCalendarDate('soon', 'today')).toThrow('today must be a calendar date YYYY-MM-DD, got "soon"');
  });
});
