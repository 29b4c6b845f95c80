// The terminal's two output streams and its environment, as the command line hands them to the commands.
// Types only.

export type Env = Record<string, string | undefined>;

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}
