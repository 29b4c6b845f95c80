// Time and ids come in through ports so the core and tests never read the wall clock directly.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export const fixedClock = (start: Date): Clock & { advance(ms: number): void; set(date: Date): void } => {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (ms: number) => {
      current += ms;
    },
    set: (date: Date) => {
      current = date.getTime();
    },
  };
};
