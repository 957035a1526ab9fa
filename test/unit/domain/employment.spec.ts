import { describe, expect, it } from '@jest/globals';
import { employmentStatus, mustDeactivateHrUser, type EmploymentStatus } from '../../../src/domain/employment.js';

describe('employmentStatus (3.5)', () => {
  it.each<[string, string | null, string, EmploymentStatus, boolean]>([
    ['no resignation date', null, '2026-03-01', 'active', false],
    ['before the resignation date', '2026-03-31', '2026-03-01', 'pending', false],
    ['the day before', '2026-03-31', '2026-03-30', 'pending', false],
    ['on the resignation date', '2026-03-31', '2026-03-31', 'archived', true],
    ['after the resignation date', '2026-03-31', '2026-04-01', 'archived', true],
    ['across a year', '2027-01-01', '2026-12-31', 'pending', false],
  ])('%s', (_name, resignationDate, today, status, deactivate) => {
    expect(employmentStatus(resignationDate, today)).toBe(status);
    expect(mustDeactivateHrUser(employmentStatus(resignationDate, today))).toBe(deactivate);
  });

  it('names the date that is not a calendar date', () => {
    expect(() => employmentStatus(null, '2026-3-1')).toThrow(
      'today must be a calendar date YYYY-MM-DD, got "2026-3-1"',
    );
    expect(() => employmentStatus('31.03.2026', '2026-03-01')).toThrow(
      'resignationDate must be a calendar date YYYY-MM-DD, got "31.03.2026"',
    );
  });

  it.each([
    ['2026-03-31T00:00:00Z', '2026-03-01'],
    ['2026-03-31', '2026-3-1'],
    ['2026-02-30', '2026-03-01'],
  ])('refuses dates that are not calendar dates (%s, %s)', (resignationDate, today) => {
    expect(() => employmentStatus(resignationDate, today)).toThrow(RangeError);
  });
});
