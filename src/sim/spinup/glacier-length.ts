/**
 * Glacier length as the `length_area` output measures it: the path distance
 * (m) from a head cell to the farthest cell with ice thicker than `minThk`,
 * along 8-neighbour steps through cells inside the outline *or* covered by
 * ice (so a tongue that reaches beyond today's outline, as in a spun-up past
 * state, still counts).
 */

export interface LengthGrid {
  nx: number;
  ny: number;
  /** Cell sizes (m, positive). */
  dx: number;
  dy: number;
}

/** The head: the highest cell with ice thicker than minThk inside the mask; −1 when there is none. */
export function headCell(thk: ArrayLike<number>, usurf: ArrayLike<number>, icemask: ArrayLike<number>, minThk: number): number {
  let head = -1;
  for (let k = 0; k < thk.length; k++) if (thk[k] > minThk && icemask[k] > 0.5 && (head < 0 || usurf[k] > usurf[head])) head = k;
  return head;
}

/** Length (m) from `head` to the farthest ice cell (thk > minThk) reachable through mask ∪ ice. */
export function glacierLength(g: LengthGrid, thk: ArrayLike<number>, icemask: ArrayLike<number>, head: number, minThk: number): number {
  const pass = new Uint8Array(thk.length);
  for (let k = 0; k < thk.length; k++) pass[k] = icemask[k] > 0.5 || thk[k] > minThk ? 1 : 0;
  const dist = pathDistance(pass, g.nx, g.ny, g.dx, g.dy, head);
  let length = 0;
  for (let k = 0; k < thk.length; k++) if (thk[k] > minThk && Number.isFinite(dist[k])) length = Math.max(length, dist[k]);
  return length;
}

/**
 * Shortest 8-connected path (m) from cell `head` to every cell of `pass`
 * (Dijkstra on nx × ny cells of dx × dy m); Infinity where unreachable.
 */
export function pathDistance(pass: Uint8Array, nx: number, ny: number, dx: number, dy: number, head: number): Float64Array {
  const dist = new Float64Array(pass.length).fill(Infinity);
  if (!pass[head]) return dist;
  const done = new Uint8Array(pass.length);
  dist[head] = 0;
  // binary heap of [distance, cell]
  const heap: Array<[number, number]> = [[0, head]];
  const push = (e: [number, number]) => {
    heap.push(e);
    for (let i = heap.length - 1; i > 0; ) {
      const j = (i - 1) >> 1;
      if (heap[j][0] <= heap[i][0]) break;
      [heap[i], heap[j]] = [heap[j], heap[i]];
      i = j;
    }
  };
  const pop = (): [number, number] => {
    const top = heap[0];
    const last = heap.pop() as [number, number];
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l][0] < heap[m][0]) m = l;
        if (r < heap.length && heap[r][0] < heap[m][0]) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  };
  const diag = Math.hypot(dx, dy);
  while (heap.length > 0) {
    const [d, k] = pop();
    if (done[k]) continue;
    done[k] = 1;
    const i = k % nx;
    const j = (k - i) / nx;
    for (let dj = -1; dj <= 1; dj++) {
      for (let di = -1; di <= 1; di++) {
        const a = i + di;
        const b = j + dj;
        if ((di === 0 && dj === 0) || a < 0 || b < 0 || a >= nx || b >= ny) continue;
        const n = b * nx + a;
        if (!pass[n] || done[n]) continue;
        const nd = d + (di !== 0 && dj !== 0 ? diag : di !== 0 ? dx : dy);
        if (nd < dist[n]) {
          dist[n] = nd;
          push([nd, n]);
        }
      }
    }
  }
  return dist;
}
