/**
 * The LSTM recurrence on Float32Arrays, forward and hand-written adjoint.
 * Gate order i, f, g, o (PyTorch's). Two interchangeable paths:
 *  - native: each forward step is one ONNX Runtime call (recurrent gemm +
 *    vectorised gates, native-graphs.ts); each backward step is a plain loop
 *    (no transcendentals: tanh(c) is kept from the forward pass) plus one
 *    MLAS gemm; dW is ONE gemm over all steps;
 *  - portable: the same maths as plain loops (tests, or no native binding).
 */
import { gemm, gemmInto } from '../../core/native/gemm.js';
import { lstmStepInto } from './native-graphs.js';

const sigm = (x: number) => 1 / (1 + Math.exp(-x));

/** What the adjoint needs from the forward pass. */
export interface LstmTape {
  nt: number;
  nb: number;
  H: number;
  /** activated gates [nt, nb, 4H] */
  A: Float32Array;
  /** cell states [nt + 1, nb, H], C[0] = 0 */
  C: Float32Array;
  /** tanh(c_t) [nt, nb, H] */
  TC: Float32Array;
  /** hidden states [nt + 1, nb, H], Hs[0] = 0 */
  Hs: Float32Array;
  /** A is overwritten by the adjoint (in-place use): set once it has run. */
  consumed?: boolean;
}

/**
 * pre [nt, nb, 4H] (input projection + bias), W [H, 4H] → tape (hidden states in Hs[1..nt]).
 * `inPlace`: the activated gates overwrite P (saves a [nt, nb, 4H] array).
 * `take`: allocator for the tape's arrays (e.g. a recycling pool).
 */
export function lstmForward(P: Float32Array, W: Float32Array, nt: number, nb: number, H: number, native: boolean, inPlace = false, take: (n: number) => Float32Array = (n) => new Float32Array(n)): LstmTape {
  const H4 = 4 * H, nh = nb * H;
  const A = inPlace ? P : take(nt * nb * H4);
  // `take` may recycle arrays: every entry is written below (C[0] = Hs[0] = 0 explicitly)
  const C = take((nt + 1) * nh).fill(0, 0, nh);
  const TC = take(nt * nh);
  const Hs = take((nt + 1) * nh).fill(0, 0, nh);
  for (let t = 0; t < nt; t++) {
    const pt = P.subarray(t * nb * H4, (t + 1) * nb * H4);
    const hv = Hs.subarray(t * nh, (t + 1) * nh), cv = C.subarray(t * nh, (t + 1) * nh);
    if (native) {
      const out = { a: A.subarray(t * nb * H4, (t + 1) * nb * H4), c: C.subarray((t + 1) * nh, (t + 2) * nh), tc: TC.subarray(t * nh, (t + 1) * nh), h: Hs.subarray((t + 1) * nh, (t + 2) * nh) };
      lstmStepInto(out, pt, hv, cv, W, nb, H);
      continue;
    }
    const rec = gemm(hv, W, nb, H, H4, { portable: true });
    for (let b = 0; b < nb; b++) {
      const o4 = (t * nb + b) * H4, r4 = b * H4;
      for (let j = 0; j < H; j++) {
        const ig = sigm(pt[r4 + j] + rec[r4 + j]);
        const fg = sigm(pt[r4 + H + j] + rec[r4 + H + j]);
        const gg = Math.tanh(pt[r4 + 2 * H + j] + rec[r4 + 2 * H + j]);
        const og = sigm(pt[r4 + 3 * H + j] + rec[r4 + 3 * H + j]);
        A[o4 + j] = ig;
        A[o4 + H + j] = fg;
        A[o4 + 2 * H + j] = gg;
        A[o4 + 3 * H + j] = og;
        const q = b * H + j;
        const c = fg * cv[q] + ig * gg;
        const tc = Math.tanh(c);
        C[(t + 1) * nh + q] = c;
        TC[t * nh + q] = tc;
        Hs[(t + 1) * nh + q] = og * tc;
      }
    }
  }
  return { nt, nb, H, A, C, TC, Hs };
}

/**
 * Adjoint: dL/dh_t given in DY [nt, nb, H] → dL/dpre [nt, nb, 4H] and
 * dL/dW [H, 4H] (= Σ_t h_{t−1}ᵀ·dz_t, one gemm). `inPlace`: dL/dpre
 * overwrites the tape's gates (each entry is read before it is written), so
 * the tape serves one adjoint only.
 */
export function lstmBackward(tape: LstmTape, W: Float32Array, DY: Float32Array, native: boolean, inPlace = false): { dP: Float32Array; dW: Float32Array } {
  const { nt, nb, H, A, C, TC, Hs } = tape;
  if (tape.consumed) throw new Error('lstmBackward: this tape was already used by an in-place adjoint');
  const H4 = 4 * H, nh = nb * H;
  const DP = inPlace ? A : new Float32Array(nt * nb * H4);
  if (inPlace) tape.consumed = true;
  const dh = new Float32Array(nh);
  const dc = new Float32Array(nh);
  for (let t = nt - 1; t >= 0; t--) {
    const c0 = t * nh;
    for (let b = 0; b < nb; b++) {
      const o4 = (t * nb + b) * H4;
      for (let j = 0; j < H; j++) {
        const q = b * H + j;
        const ig = A[o4 + j], fg = A[o4 + H + j], gg = A[o4 + 2 * H + j], og = A[o4 + 3 * H + j];
        const tc = TC[c0 + q];
        const dht = DY[c0 + q] + dh[q];
        const dct = dc[q] + dht * og * (1 - tc * tc);
        DP[o4 + j] = dct * gg * ig * (1 - ig);
        DP[o4 + H + j] = dct * C[c0 + q] * fg * (1 - fg);
        DP[o4 + 2 * H + j] = dct * ig * (1 - gg * gg);
        DP[o4 + 3 * H + j] = dht * tc * og * (1 - og);
        dc[q] = dct * fg;
      }
    }
    if (t === 0) break;
    const dpt = DP.subarray(t * nb * H4, (t + 1) * nb * H4);
    gemmInto(dh, dpt, W, nb, H4, H, { transB: true, portable: !native });
  }
  const dW = gemm(Hs.subarray(0, nt * nh), DP, H, nt * nb, H4, { transA: true, portable: !native });
  return { dP: DP, dW };
}
