// Draws the Teams app icons (run: npx tsx scripts/make-teams-icons.ts): a 192×192 colour icon
// and a 32×32 white outline on transparency, as the manifest schema asks. A ring of dots (the
// circle of a Balint group) around an open centre. The PNGs are committed; rerun after a change.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';

type Rgba = [number, number, number, number];

function draw(size: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x + 0.5, y + 0.5);
      const i = (y * size + x) * 4;
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = a;
    }
  }
  return PNG.sync.write(png);
}

/** Eight seats in a circle: is (x, y) on one of them? (coordinates as fractions of the size) */
function onSeat(fx: number, fy: number, ring: number, seat: number): boolean {
  for (let k = 0; k < 8; k++) {
    const angle = (k / 8) * 2 * Math.PI - Math.PI / 2;
    const cx = 0.5 + ring * Math.cos(angle);
    const cy = 0.5 + ring * Math.sin(angle);
    if (Math.hypot(fx - cx, fy - cy) <= seat) return true;
  }
  return false;
}

const BLUE: Rgba = [0x3a, 0x6e, 0xa5, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

export function colorIcon(): Buffer {
  return draw(192, (x, y) => (onSeat(x / 192, y / 192, 0.3, 0.075) ? WHITE : BLUE));
}

export function outlineIcon(): Buffer {
  return draw(32, (x, y) => (onSeat(x / 32, y / 32, 0.32, 0.1) ? WHITE : CLEAR));
}

const dir = join(import.meta.dirname, '..', 'manifest', 'teams');
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  writeFileSync(join(dir, 'color.png'), colorIcon());
  writeFileSync(join(dir, 'outline.png'), outlineIcon());
}
