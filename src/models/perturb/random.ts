/** Seeded random numbers: one independent stream per (seed, member), whatever the batching or worker. */

/** splitmix32-style hash of integers → 32-bit state. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Uniform [0, 1) generator (xorshift128) for a (seed, stream, salt) triple.
 * `salt` (e.g. the start time in minutes) gives independent draws per start
 * time; salt 0 is the plain (seed, stream) stream.
 */
export function uniformStream(seed: number, stream: number, salt = 0): () => number {
  let a = mix(seed * 0x9e3779b1 + 1) || 1;
  let b = mix(a ^ (stream * 0x85ebca6b + 7)) || 2;
  let c = mix(b + 0x6b43a9b5 + Math.imul(salt | 0, 0x27d4eb2d)) || 3;
  let d = mix(c ^ 0x2545f491) || 4;
  return () => {
    const t = a ^ (a << 11);
    a = b;
    b = c;
    c = d;
    d = (d ^ (d >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    return d / 4294967296;
  };
}

/** Fill `out` with standard normal values (Box–Muller) from `u`. */
export function fillNormal(out: Float64Array | Float32Array, u: () => number): void {
  for (let i = 0; i < out.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const th = 2 * Math.PI * u();
    out[i] = r * Math.cos(th);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(th);
  }
}
