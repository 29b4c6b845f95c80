// The one time-formatting module: UTC stamps stay UTC in any process time zone, and the compact
// duration forms read as the replies have always shown them.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  formatAge,
  formatMinutes,
  formatMinutesAge,
  formatSpan,
  isoMinuteZ,
  secondsBetween,
  utcMinute,
  utcMinuteZ,
  utcSecondZ,
} from '../../../src/core/text/time-format.ts';

// 03:07 UTC on 1 March is still 28 February in New York and already the afternoon in Kiritimati.
const NEAR_MIDNIGHT = new Date('2024-03-01T03:07:09.500Z');

describe('UTC stamps', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it.each([undefined, 'America/New_York', 'Pacific/Kiritimati', 'Asia/Kolkata'])('print UTC fields when TZ is %s', (tz) => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
    if (tz === 'America/New_York') expect(NEAR_MIDNIGHT.getDate()).toBe(29); // the zone really applies
    expect(utcMinute(NEAR_MIDNIGHT)).toBe('2024-03-01 03:07');
    expect(utcMinuteZ(NEAR_MIDNIGHT)).toBe('2024-03-01 03:07Z');
    expect(isoMinuteZ(NEAR_MIDNIGHT)).toBe('2024-03-01T03:07Z');
    expect(utcSecondZ(NEAR_MIDNIGHT)).toBe('2024-03-01 03:07:09Z');
  });

  it('match the ISO 8601 text for every date in years 1000 to 9999', () => {
    process.env.TZ = 'America/New_York';
    fc.assert(
      fc.property(fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (date) => {
        const iso = date.toISOString();
        expect(utcMinute(date)).toBe(iso.slice(0, 16).replace('T', ' '));
        expect(isoMinuteZ(date)).toBe(`${iso.slice(0, 16)}Z`);
        expect(utcSecondZ(date)).toBe(`${iso.slice(0, 19).replace('T', ' ')}Z`);
      }),
    );
  });
});

describe('durations', () => {
  it('table ages floor to two units', () => {
    expect([null, 0, 44.6, 59, 60, 754, 3599, 3600, 11_100, 86_399, 86_400, 183_600, 40 * 86_400 + 7_300].map(formatAge)).toEqual([
      'n/a', '0s', '45s', '59s', '1m', '12m', '59m', '1h0m', '3h5m', '23h59m', '1d0h', '2d3h', '40d2h',
    ]);
  });

  it('incident-card durations round to minutes', () => {
    expect([0, -3, 12.4, 59, 60, 95, 125, 24 * 60].map(formatMinutes)).toEqual(['0 min', '0 min', '12 min', '59 min', '1 h', '1 h 35 min', '2 h 5 min', '24 h']);
    expect([null, 90, 7_500].map(formatMinutesAge)).toEqual(['n/a', '2 min', '2 h 5 min']);
    // Rounded before it is split into hours and minutes: never "1 h 60 min" or "60 min".
    expect([59.6, 119.6, 120.4].map(formatMinutes)).toEqual(['1 h', '2 h', '2 h']);
  });

  it('findings spans keep one decimal above an hour', () => {
    expect([-5, 45_000, 12 * 60_000, 3.5 * 3_600_000, 4.2 * 86_400_000, 2 * 86_400_000].map(formatSpan)).toEqual(['0 s', '45 s', '12 min', '3.5 h', '4.2 days', '2 days']);
  });

  it('secondsBetween is fractional and signed', () => {
    expect(secondsBetween(new Date(1_000), new Date(2_500))).toBe(1.5);
    expect(secondsBetween(new Date(2_500), new Date(1_000))).toBe(-1.5);
  });
});
