// Runs work one piece at a time per key (a queue name), in arrival order, so two alerts or an alert
// and a poll of the same queue never race in this process. Other replicas are handled by the
// store's optimistic versions.

export interface SerialQueues {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Queues work without waiting for it; a failure goes to `onError`. */
  enqueue(key: string, work: () => Promise<void>): void;
  /** Resolves once every key's chain is empty, including work queued meanwhile. */
  idle(): Promise<void>;
}

export const createSerialQueues = (onError: (key: string, error: unknown) => void): SerialQueues => {
  const tails = new Map<string, Promise<unknown>>();
  const run = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
  return {
    run,
    enqueue: (key, work) => {
      run(key, work).catch((error: unknown) => onError(key, error));
    },
    idle: async () => {
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },
  };
};
