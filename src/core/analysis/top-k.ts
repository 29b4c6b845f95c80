// Bounded heavy-hitter counting (Space-Saving, Metwally et al. 2005): at most `capacity` keys are
// held whatever the number of distinct keys seen, and any key with more than total/capacity hits
// is guaranteed to be among them. Counts become upper bounds once a key has been evicted.

export interface TopKEntry<T> {
  key: string;
  /** Upper bound of the key's true count (exact while `error` is 0). */
  count: number;
  /** Most the count may overstate: `count - error` is a guaranteed lower bound. */
  error: number;
  /** Per-key data, created by `init` when the key (re-)enters the table. */
  data: T;
}

export interface TopK<T> {
  /** Counts one occurrence of `key` and returns its entry (possibly just created by eviction). */
  hit(key: string): TopKEntry<T>;
  /** Entries sorted by count (desc), then key (asc) for a deterministic order. */
  entries(): TopKEntry<T>[];
  get(key: string): TopKEntry<T> | undefined;
  readonly size: number;
  readonly capacity: number;
  /** Keys evicted so far: 0 means every count is exact. */
  readonly evictions: number;
  /** Total hits counted. */
  readonly total: number;
}

export const createTopK = <T>(capacity: number, init: (key: string) => T): TopK<T> => {
  const limit = Math.max(1, Math.floor(capacity));
  const table = new Map<string, TopKEntry<T>>();
  let evictions = 0;
  let total = 0;

  const minimum = (): TopKEntry<T> => {
    let min: TopKEntry<T> | undefined;
    for (const entry of table.values()) {
      if (min === undefined || entry.count < min.count) min = entry;
    }
    return min as TopKEntry<T>;
  };

  return {
    hit(key) {
      total += 1;
      const existing = table.get(key);
      if (existing) {
        existing.count += 1;
        return existing;
      }
      if (table.size < limit) {
        const entry: TopKEntry<T> = { key, count: 1, error: 0, data: init(key) };
        table.set(key, entry);
        return entry;
      }
      const victim = minimum();
      table.delete(victim.key);
      evictions += 1;
      const entry: TopKEntry<T> = { key, count: victim.count + 1, error: victim.count, data: init(key) };
      table.set(key, entry);
      return entry;
    },
    entries() {
      return [...table.values()].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    get(key) {
      return table.get(key);
    },
    get size() {
      return table.size;
    },
    capacity: limit,
    get evictions() {
      return evictions;
    },
    get total() {
      return total;
    },
  };
};
