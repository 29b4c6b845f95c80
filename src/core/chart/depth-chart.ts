// Draws an incident's depth over time as an RGBA raster (no browser, no canvas): a filled line of
// the stored samples, dashed threshold lines for L1 and L2, a light grid and y-axis figures in a
// 3×5 pixel font. Pure; an adapter encodes the raster as PNG.

export interface Raster {
  width: number;
  height: number;
  /** RGBA, row by row. */
  data: Uint8Array;
}

export interface DepthChartInput {
  points: readonly { at: Date; depth: number }[];
  thresholds?: readonly { value: number; color: Rgb }[];
  width?: number;
  height?: number;
}

export type Rgb = readonly [number, number, number];

export const CHART_COLORS = {
  background: [255, 255, 255] as Rgb,
  grid: [228, 230, 235] as Rgb,
  axis: [120, 124, 130] as Rgb,
  line: [29, 105, 196] as Rgb,
  fill: [208, 225, 246] as Rgb,
  l1: [230, 160, 20] as Rgb,
  l2: [210, 50, 40] as Rgb,
};

// 3×5 glyphs for the y-axis figures, one row per string, '1' = ink.
const GLYPHS: Record<string, readonly string[]> = {
  '0': ['111', '101', '101', '101', '111'], '1': ['010', '110', '010', '010', '111'], '2': ['111', '001', '111', '100', '111'],
  '3': ['111', '001', '111', '001', '111'], '4': ['101', '101', '111', '001', '001'], '5': ['111', '100', '111', '001', '111'],
  '6': ['111', '100', '111', '101', '111'], '7': ['111', '001', '010', '010', '010'], '8': ['111', '101', '111', '101', '111'],
  '9': ['111', '101', '111', '001', '111'], k: ['100', '101', '110', '101', '101'], '.': ['000', '000', '000', '000', '010'],
};

const createRaster = (width: number, height: number, color: Rgb): Raster => {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i += 1) data.set([color[0], color[1], color[2], 255], i * 4);
  return { width, height, data };
};

const plot = (r: Raster, x: number, y: number, color: Rgb): void => {
  const xi = Math.round(x);
  const yi = Math.round(y);
  if (xi < 0 || yi < 0 || xi >= r.width || yi >= r.height) return;
  r.data.set([color[0], color[1], color[2], 255], (yi * r.width + xi) * 4);
};

const line = (r: Raster, x0: number, y0: number, x1: number, y1: number, color: Rgb, thickness = 1, dash = 0): void => {
  const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
  for (let s = 0; s <= steps; s += 1) {
    if (dash > 0 && Math.floor(s / dash) % 2 === 1) continue;
    const x = x0 + ((x1 - x0) * s) / steps;
    const y = y0 + ((y1 - y0) * s) / steps;
    for (let dx = 0; dx < thickness; dx += 1) for (let dy = 0; dy < thickness; dy += 1) plot(r, x + dx, y + dy, color);
  }
};

const text = (r: Raster, value: string, right: number, top: number, color: Rgb, scale = 2): void => {
  let x = right - value.length * 4 * scale + scale;
  for (const ch of value) {
    const glyph = GLYPHS[ch];
    if (glyph) {
      glyph.forEach((row, gy) => {
        for (let gx = 0; gx < 3; gx += 1) {
          if (row[gx] !== '1') continue;
          for (let sx = 0; sx < scale; sx += 1) for (let sy = 0; sy < scale; sy += 1) plot(r, x + gx * scale + sx, top + gy * scale + sy, color);
        }
      });
    }
    x += 4 * scale;
  }
};

/** 1234 → "1234", 25000 → "25k", 1500 → "1.5k". */
export const axisFigure = (n: number): string => {
  if (n < 10_000) return String(Math.round(n));
  const k = n / 1000;
  return `${k >= 100 ? Math.round(k) : Math.round(k * 10) / 10}k`;
};

/** A round upper bound for the y axis: 1, 2 or 5 times a power of ten, at least the highest value. */
export const niceMax = (value: number): number => {
  if (value <= 0) return 10;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 5, 10]) if (m * power >= value) return m * power;
  return 10 * power;
};

export const renderDepthChart = (input: DepthChartInput): Raster => {
  const width = input.width ?? 720;
  const height = input.height ?? 260;
  const c = CHART_COLORS;
  const r = createRaster(width, height, c.background);
  const left = 56;
  const right = width - 12;
  const top = 12;
  const bottom = height - 20;
  const points = input.points;
  const thresholdMax = Math.max(0, ...(input.thresholds ?? []).map((t) => t.value));
  const yMax = niceMax(Math.max(1, ...points.map((p) => p.depth), thresholdMax * 1.1));
  const y = (v: number): number => bottom - (Math.max(0, v) / yMax) * (bottom - top);
  for (let i = 0; i <= 4; i += 1) {
    const v = (yMax * i) / 4;
    line(r, left, y(v), right, y(v), c.grid);
    text(r, axisFigure(v), left - 8, y(v) - 5, c.axis);
  }
  line(r, left, top, left, bottom, c.axis);
  line(r, left, bottom, right, bottom, c.axis);
  const thresholds = (): void => {
    for (const t of input.thresholds ?? []) if (t.value <= yMax) line(r, left + 1, y(t.value), right, y(t.value), t.color, 1, 6);
  };
  if (points.length === 0) {
    thresholds();
    return r;
  }
  const t0 = points[0]!.at.getTime();
  const span = Math.max(1, points[points.length - 1]!.at.getTime() - t0);
  const x = (at: Date): number => (points.length === 1 ? (left + right) / 2 : left + 1 + ((at.getTime() - t0) / span) * (right - left - 2));
  // Area under the line first, then the line over it.
  for (let i = 1; i < points.length; i += 1) {
    const a = points[i - 1]!;
    const b = points[i]!;
    for (let px = Math.ceil(x(a.at)); px <= Math.floor(x(b.at)); px += 1) {
      const f = x(b.at) === x(a.at) ? 1 : (px - x(a.at)) / (x(b.at) - x(a.at));
      const py = y(a.depth + (b.depth - a.depth) * f);
      line(r, px, py + 1, px, bottom - 1, c.fill);
    }
  }
  thresholds();
  for (let i = 1; i < points.length; i += 1) line(r, x(points[i - 1]!.at), y(points[i - 1]!.depth), x(points[i]!.at), y(points[i]!.depth), c.line, 2);
  if (points.length === 1) line(r, x(points[0]!.at) - 2, y(points[0]!.depth), x(points[0]!.at) + 2, y(points[0]!.depth), c.line, 3);
  return r;
};
