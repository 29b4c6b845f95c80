// Encodes a core Raster as PNG bytes with pngjs (pure JS: no native build, no browser), for the
// depth charts uploaded into incident threads.

import { PNG } from 'pngjs';
import type { Raster } from '../../../core/chart/depth-chart.ts';

export const encodePng = (raster: Raster): Uint8Array => {
  const png = new PNG({ width: raster.width, height: raster.height, colorType: 6 });
  Buffer.from(raster.data.buffer, raster.data.byteOffset, raster.data.byteLength).copy(png.data);
  return new Uint8Array(PNG.sync.write(png, { colorType: 6 }));
};
