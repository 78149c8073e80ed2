// Points bucketed into square cells, so "is there a point near p" looks at the few cells around p
// instead of at every point. The spawn search asks that for every candidate spot it tries, and in a
// join storm it tries hundreds per join against every seated player: quadratic per join without it.
import type { Point } from "./geometry.ts";

export class PointGrid<T extends Point> {
  readonly #cell: number;
  readonly #cells = new Map<number, T[]>();

  /** `cell` is best about the reach the queries use: then a query looks at 3 × 3 cells. */
  constructor(points: Iterable<T>, cell: number) {
    this.#cell = cell;
    for (const p of points) {
      const key = this.#key(this.#index(p.x), this.#index(p.y));
      const bucket = this.#cells.get(key);
      if (bucket) bucket.push(p);
      else this.#cells.set(key, [p]);
    }
  }

  /** Whether `test` holds for a point whose x and y are each within `reach` of p's. */
  some(p: Point, reach: number, test: (q: T) => boolean): boolean {
    const x1 = this.#index(p.x + reach);
    const y0 = this.#index(p.y - reach);
    const y1 = this.#index(p.y + reach);
    for (let cx = this.#index(p.x - reach); cx <= x1; cx++) {
      for (let cy = y0; cy <= y1; cy++) {
        const bucket = this.#cells.get(this.#key(cx, cy));
        if (!bucket) continue;
        for (const q of bucket) {
          if (Math.abs(q.x - p.x) <= reach && Math.abs(q.y - p.y) <= reach && test(q)) return true;
        }
      }
    }
    return false;
  }

  #index(v: number): number {
    return Math.floor(v / this.#cell);
  }

  /**
   * Cells from -2^14 to 2^14 - 1 on each axis (far beyond any room: ROOM.maxSize): the key stays a
   * small integer, which a Map hashes much faster than a larger number.
   */
  #key(cx: number, cy: number): number {
    return (cx + 0x4000) * 0x8000 + (cy + 0x4000);
  }
}
