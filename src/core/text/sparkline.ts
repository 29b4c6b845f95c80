// A depth sparkline in unicode blocks (▁▂▃▄▅▆▇█) from stored samples: at most `width` characters,
// each the highest depth of its time bucket, scaled from 0 to the highest depth shown. Pure.

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

export const sparkline = (samples: readonly { at: Date; depth: number }[], width = 24): string => {
  if (samples.length === 0 || width <= 0) return '';
  const start = samples[0]!.at.getTime();
  const end = samples[samples.length - 1]!.at.getTime();
  const buckets = Math.min(width, samples.length);
  const values: number[] = new Array<number>(buckets).fill(-1);
  const span = Math.max(1, end - start);
  for (const sample of samples) {
    const i = Math.min(buckets - 1, Math.floor(((sample.at.getTime() - start) / span) * buckets));
    values[i] = Math.max(values[i]!, Math.max(0, sample.depth));
  }
  // A bucket no sample fell in repeats its neighbour on the left.
  for (let i = 0; i < values.length; i += 1) if (values[i]! < 0) values[i] = i > 0 ? values[i - 1]! : 0;
  const max = Math.max(...values);
  if (max <= 0) return BARS[0].repeat(values.length);
  return values.map((v) => BARS[Math.min(BARS.length - 1, Math.round((v / max) * (BARS.length - 1)))]).join('');
};
