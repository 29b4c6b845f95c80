// The server's components in start order: started first to last, stopped (and crashed) last to first.
// A registry only: it knows nothing of what a component is, and logs nothing.

export interface Component {
  /** What it is (for reading the order); not logged. */
  name: string;
  start?: () => Promise<void> | void;
  /** An orderly stop: flush, hand over leases. */
  stop?: () => Promise<void> | void;
  /** Stops as a killed process would (tests); when absent, crash runs `stop`. */
  crash?: () => Promise<void> | void;
}

export interface Components {
  /** Appends a component: it starts after every one added before it and stops before them. */
  add(component: Component): void;
  /** Starts each in order; when one fails, stops the ones already started (last first, errors ignored) and rethrows. */
  start(): Promise<void>;
  stop(): Promise<void>;
  crash(): Promise<void>;
  /** The names in start order. */
  names(): string[];
}

export const createComponents = (): Components => {
  const list: Component[] = [];
  const inReverse = async (of: readonly Component[], phase: (component: Component) => (() => Promise<void> | void) | undefined): Promise<void> => {
    for (const component of [...of].reverse()) await phase(component)?.();
  };
  return {
    add: (component) => {
      list.push(component);
    },
    start: async () => {
      for (const [index, component] of list.entries()) {
        try {
          await component.start?.();
        } catch (error) {
          // Nothing after it started: close what was opened before it (a busy port: the queues and the store).
          for (const started of list.slice(0, index).reverse()) {
            try {
              await started.stop?.();
            } catch {
              // The start's error is the one to report.
            }
          }
          throw error;
        }
      }
    },
    stop: () => inReverse(list, (component) => component.stop),
    crash: () => inReverse(list, (component) => component.crash ?? component.stop),
    names: () => list.map((component) => component.name),
  };
};
