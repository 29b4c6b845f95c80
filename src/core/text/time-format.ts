/**
 * Every time stamp and duration Redrive writes for people, in one place, on date-fns.
 *
 * Stamps are always UTC, whatever the process's TZ: date-fns `format` with the `in: utc` context
 * from `@date-fns/utc` reads the UTC fields, never the local ones. Durations are the compact
 * forms the replies have always used ("3h5m" in tables, "2 h 5 min" on incident cards, "3.5 h" in
 * analysis findings); date-fns's unit constants and conversions do the arithmetic.
 */
import { utc } from '@date-fns/utc';
import { format, secondsToHours, secondsToMinutes } from 'date-fns';
import { millisecondsInSecond, minutesInHour, secondsInDay, secondsInHour, secondsInMinute } from 'date-fns/constants';

const inUtc = (date: Date, pattern: string): string => format(date, pattern, { in: utc });

/** "2026-03-01 14:05" (UTC, no zone suffix: the caller's text says UTC or not). */
export const utcMinute = (date: Date): string => inUtc(date, 'yyyy-MM-dd HH:mm');

/** "2026-03-01 14:05Z". */
export const utcMinuteZ = (date: Date): string => `${utcMinute(date)}Z`;

/** "2026-03-01T14:05Z": ISO 8601 to the minute. */
export const isoMinuteZ = (date: Date): string => inUtc(date, "yyyy-MM-dd'T'HH:mm'Z'");

/** "2026-03-01 14:05:09Z". */
export const utcSecondZ = (date: Date): string => inUtc(date, "yyyy-MM-dd HH:mm:ss'Z'");

/** Seconds from `from` to `to` (fractional; negative when `from` is later). */
export const secondsBetween = (from: Date, to: Date): number => (to.getTime() - from.getTime()) / millisecondsInSecond;

/** Table form of an age: "45s", "12m", "3h5m", "2d3h"; "n/a" when unknown. */
export const formatAge = (seconds: number | null): string => {
  if (seconds === null) return 'n/a';
  if (seconds < secondsInMinute) return `${Math.round(seconds)}s`;
  if (seconds < secondsInHour) return `${secondsToMinutes(seconds)}m`;
  if (seconds < secondsInDay) return `${secondsToHours(seconds)}h${secondsToMinutes(seconds % secondsInHour)}m`;
  return `${Math.floor(seconds / secondsInDay)}d${secondsToHours(seconds % secondsInDay)}h`;
};

/** Incident-card form of a duration in minutes: "12 min", "2 h", "2 h 5 min". */
export const formatMinutes = (minutes: number): string => {
  // Rounded once, before it is split: 119.6 minutes is "2 h", never "1 h 60 min".
  const total = Math.max(0, Math.round(minutes));
  if (total < minutesInHour) return `${total} min`;
  const h = Math.floor(total / minutesInHour);
  const m = total % minutesInHour;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
};

/** An age in seconds in the incident-card form ("2 h 5 min"); "n/a" when unknown. */
export const formatMinutesAge = (seconds: number | null): string => (seconds === null ? 'n/a' : formatMinutes(seconds / secondsInMinute));

/** Findings form of a duration in milliseconds: "45 s", "12 min", "3.5 h", "4.2 days". */
export const formatSpan = (ms: number): string => {
  const seconds = Math.max(0, ms) / millisecondsInSecond;
  if (seconds < secondsInMinute) return `${Math.round(seconds)} s`;
  if (seconds < secondsInHour) return `${Math.round(seconds / secondsInMinute)} min`;
  if (seconds < secondsInDay) return `${Number((seconds / secondsInHour).toFixed(1))} h`;
  return `${Number((seconds / secondsInDay).toFixed(1))} days`;
};
