/**
 * HBV (1.0 / 1.1p / 2.0) daily loop as one fused kernel over [basin × nmul]
 * components, and its hand-written adjoint. Written from the step equations in
 * the δMG research note (docs/hybrid.md); all fluxes in mm/d, states in mm.
 *
 * Layouts (C order): forcings [nt, nb]; static parameters [nb, np, nm];
 * dynamic parameters [nt, nb, nd, nm]; outputs [nt, nb] (means over the nm
 * components). The non-smooth min/max/clamp are differentiated as the branch
 * the forward pass took (a tie picks the first argument of min/max).
 */
import type { HbvFlags } from './params.js';
import { checkHbvProblem } from './check.js';

/** Numerical floor of the soil and lower-zone stores (mm), as in δMG. */
export const NEARZERO = 1e-5;
/** Initial value of every store (mm), as in δMG. */
export const INIT_STATE = 0.001;

type Arr = ArrayLike<number>;

/** The five stores of every component, each [nb, nm] (mm). */
export interface HbvState {
  SP: Float64Array; // snowpack
  MW: Float64Array; // liquid water in the snowpack
  SM: Float64Array; // soil moisture
  SUZ: Float64Array; // upper zone
  SLZ: Float64Array; // lower zone
}

export interface HbvProblem {
  nt: number;
  nb: number;
  nm: number;
  /** Precipitation [nt, nb] mm/d (≥ 0). */
  P: Arr;
  /** Mean air temperature [nt, nb] °C. */
  T: Arr;
  /** Potential evapotranspiration [nt, nb] mm/d. */
  PET: Arr;
  /** Static parameters [nb, np, nm] in physical units (kernel order of hbvLayout). */
  params: Arr;
  np: number;
  /** Indices (into the np parameters) that are dynamic; their values come from `dyn`. */
  dynIndex?: number[];
  /** Dynamic parameter values [nt, nb, nd, nm]. */
  dyn?: Arr;
  /** Basin area km² [nb] (leakage only). */
  area?: Arr;
  /** Initial stores; default INIT_STATE everywhere. */
  init?: HbvState;
}

/** Outputs: means over the nm components, [nt, nb], mm/d (SWE in mm). */
export interface HbvOutput {
  Q: Float64Array;
  Q0: Float64Array;
  Q1: Float64Array;
  Q2: Float64Array;
  ET: Float64Array;
  SWE: Float64Array;
  /** Leakage (2.0) and numerical floors are in `gain` (mm/d added to the stores). */
  gain: Float64Array;
  final: HbvState;
  /**
   * For the adjoint (only when asked for), [nt, TAPE_SLOTS, nb, nm]: the five
   * start-of-day stores, then the day's soil and ET shape terms sw0 = x^BETA,
   * ln x, e1 = e0^BETAET, ln e0 (so the adjoint needs no exp/log).
   */
  tape?: Float64Array;
}

export function initialState(nb: number, nm: number, v = INIT_STATE): HbvState {
  const f = () => new Float64Array(nb * nm).fill(v);
  return { SP: f(), MW: f(), SM: f(), SUZ: f(), SLZ: f() };
}

export function cloneState(s: HbvState): HbvState {
  return { SP: s.SP.slice(), MW: s.MW.slice(), SM: s.SM.slice(), SUZ: s.SUZ.slice(), SLZ: s.SLZ.slice() };
}

/** Values per component and day on the tape: 5 stores + sw0, ln x, e1, ln e0. */
const TAPE_SLOTS = 9;

// Parameter slots (kernel order, see params.ts).
const BETA = 0, FC = 1, K0 = 2, K1 = 3, K2 = 4, LP = 5, PERC = 6, UZL = 7, TT = 8, CFMAX = 9, CFR = 10, CWH = 11;

/** Fetches the nPar parameter values of component (t, b, m) into `out`. */
function makeFetch(pr: HbvProblem): (t: number, b: number, m: number, out: Float64Array) => void {
  const { nb, nm, np, params } = pr;
  const dynIndex = pr.dynIndex ?? [];
  const nd = dynIndex.length;
  const slot = new Int32Array(np).fill(-1);
  dynIndex.forEach((k, d) => (slot[k] = d));
  const dyn = pr.dyn;
  return (t, b, m, out) => {
    const base = b * np * nm + m;
    for (let k = 0; k < np; k++) out[k] = params[base + k * nm];
    if (nd > 0) {
      const db = (t * nb + b) * nd * nm + m;
      for (let d = 0; d < nd; d++) out[dynIndex[d]] = dyn![db + d * nm];
    }
  };
}

/** Kernel slots of the optional parameters (−1 when the variant has none). */
export function optionalSlots(flags: HbvFlags): { iBETAET: number; iC: number; iRT: number; iAC: number } {
  const iBETAET = flags.betaet ? 12 : -1;
  const iC = flags.capillary ? 12 + (flags.betaet ? 1 : 0) : -1;
  const iRT = flags.leakage ? iC + 1 : -1;
  const iAC = flags.leakage ? iC + 2 : -1;
  return { iBETAET, iC, iRT, iAC };
}

/** Run the HBV loop forward. With `tape`, keep the start-of-day stores for `hbvAdjoint`. */
export function hbvForward(pr: HbvProblem, flags: HbvFlags, opts: { tape?: boolean } = {}): HbvOutput {
  checkHbvProblem(pr, flags);
  const { nt, nb, nm, P, T, PET } = pr;
  const nc = nb * nm;
  const st = pr.init ? cloneState(pr.init) : initialState(nb, nm);
  const { SP, MW, SM, SUZ, SLZ } = st;
  const { iBETAET, iC, iRT, iAC } = optionalSlots(flags);
  const fetch = makeFetch(pr);
  const p = new Float64Array(pr.np);
  const n = nt * nb;
  const Q = new Float64Array(n), Q0 = new Float64Array(n), Q1 = new Float64Array(n), Q2 = new Float64Array(n);
  const ET = new Float64Array(n), SWE = new Float64Array(n), gain = new Float64Array(n);
  const tape = opts.tape ? new Float64Array(nt * TAPE_SLOTS * nc) : undefined;
  const inv = 1 / nm;
  for (let t = 0; t < nt; t++) {
    if (tape) {
      const o = t * TAPE_SLOTS * nc;
      tape.set(SP, o);
      tape.set(MW, o + nc);
      tape.set(SM, o + 2 * nc);
      tape.set(SUZ, o + 3 * nc);
      tape.set(SLZ, o + 4 * nc);
    }
    for (let b = 0; b < nb; b++) {
      const tb = t * nb + b;
      const Pt = P[tb], Tt = T[tb], PETt = PET[tb];
      let sq = 0, sq0 = 0, sq1 = 0, sq2 = 0, set = 0, sswe = 0, sgain = 0;
      for (let m = 0; m < nm; m++) {
        fetch(t, b, m, p);
        const c = b * nm + m;
        // snow
        const isRain = Tt >= p[TT];
        const rain = isRain ? Pt : 0;
        const sp1 = SP[c] + (isRain ? 0 : Pt);
        const pm = p[CFMAX] * (Tt - p[TT]);
        const m0 = pm > 0 ? pm : 0;
        const melt = m0 < sp1 ? m0 : sp1;
        const mw1 = MW[c] + melt;
        const sp2 = sp1 - melt;
        const pr0 = p[CFR] * p[CFMAX] * (p[TT] - Tt);
        const r0 = pr0 > 0 ? pr0 : 0;
        const refr = r0 < mw1 ? r0 : mw1;
        const sp3 = sp2 + refr;
        const mw2 = mw1 - refr;
        const ts0 = mw2 - p[CWH] * sp3;
        const tosoil = ts0 > 0 ? ts0 : 0;
        const mw3 = mw2 - tosoil;
        // soil
        const sm0 = SM[c];
        // x^β as exp(β·ln x): V8's Math.pow costs ~2× exp + log; ln x is kept for the adjoint
        const x = sm0 / p[FC];
        const lx = x > 0 ? Math.log(x) : 0;
        const sw0 = x > 0 ? Math.exp(p[BETA] * lx) : Math.pow(x, p[BETA]);
        const sw = sw0 < 1 ? sw0 : 1;
        const inflow = rain + tosoil;
        const recharge = inflow * sw;
        const sm1 = sm0 + inflow - recharge;
        const ex0 = sm1 - p[FC];
        const excess = ex0 > 0 ? ex0 : 0;
        const sm2 = sm1 - excess;
        const e0 = sm2 / (p[LP] * p[FC]);
        const le0 = iBETAET >= 0 && e0 > 0 ? Math.log(e0) : 0;
        const e1 = iBETAET >= 0 ? (e0 > 0 ? Math.exp(p[iBETAET] * le0) : Math.pow(e0, p[iBETAET])) : e0;
        if (tape) {
          const ot = (t * TAPE_SLOTS + 5) * nc + c;
          tape[ot] = sw0;
          tape[ot + nc] = lx;
          tape[ot + 2 * nc] = e1;
          tape[ot + 3 * nc] = le0;
        }
        const ef = e1 < 1 ? e1 : 1;
        const etp = PETt * ef;
        const et = etp < sm2 ? etp : sm2;
        const s3 = sm2 - et;
        let sm = s3 > NEARZERO ? s3 : NEARZERO;
        let g = sm - s3;
        let slz = SLZ[c];
        if (iC >= 0) {
          const y = sm / p[FC];
          const ym = y < 1 ? y : 1;
          const cp = p[iC] * slz * (1 - ym);
          const cap = cp < slz ? cp : slz;
          const s4 = sm + cap;
          const l1 = slz - cap;
          sm = s4 > NEARZERO ? s4 : NEARZERO;
          slz = l1 > NEARZERO ? l1 : NEARZERO;
          g += sm - s4 + (slz - l1);
        }
        // upper and lower zones
        const suz1 = SUZ[c] + recharge + excess;
        const perc = p[PERC] < suz1 ? p[PERC] : suz1;
        const suz2 = suz1 - perc;
        const u0 = suz2 - p[UZL];
        const q0 = p[K0] * (u0 > 0 ? u0 : 0);
        const suz3 = suz2 - q0;
        const q1 = p[K1] * suz3;
        slz += perc;
        if (iRT >= 0) {
          const lf = leak(pr.area![b], p[iAC], p[iRT]).lf;
          const l3 = slz + lf;
          const nl = l3 > 0 ? l3 : 0;
          g += nl - slz;
          slz = nl;
        }
        const q2 = p[K2] * slz;
        SP[c] = sp3;
        MW[c] = mw3;
        SM[c] = sm;
        SUZ[c] = suz3 - q1;
        SLZ[c] = slz - q2;
        sq0 += q0;
        sq1 += q1;
        sq2 += q2;
        sq += q0 + q1 + q2;
        set += et;
        sswe += sp3 + mw3;
        sgain += g;
      }
      Q[tb] = sq * inv;
      Q0[tb] = sq0 * inv;
      Q1[tb] = sq1 * inv;
      Q2[tb] = sq2 * inv;
      ET[tb] = set * inv;
      SWE[tb] = sswe * inv;
      gain[tb] = sgain * inv;
    }
  }
  return { Q, Q0, Q1, Q2, ET, SWE, gain, final: st, tape };
}

/** HBV 2.0 leakage (mm/d) with its derivatives wrt AC and RT; area in km². */
function leak(area: number, AC: number, RT: number): { lf: number; dAC: number; dRT: number } {
  if (area < 2500) {
    const z = (area - AC) / 1000;
    const zc = z < -1 ? -1 : z > 1 ? 1 : z;
    return { lf: zc * RT, dAC: z > -1 && z < 1 ? -RT / 1000 : 0, dRT: zc };
  }
  let w = -(area - 2500) / 50;
  if (w < -10) w = -10;
  const e = Math.exp(w);
  return { lf: e * RT, dAC: 0, dRT: e };
}

/** Gradients of a scalar loss wrt the static [nb, np, nm] and dynamic [nt, nb, nd, nm] parameters. */
export interface HbvGrads {
  params: Float64Array;
  dyn: Float64Array;
}

/**
 * Reverse pass: given dL/dQ [nt, nb] (Q = component mean, unrouted) and the
 * forward tape, accumulate dL/dparameters. Intermediates of each day are
 * recomputed from the stored start-of-day stores (the exp/log shape terms are
 * read from the tape).
 */
export function hbvAdjoint(pr: HbvProblem, flags: HbvFlags, tape: Float64Array, gQ: Arr): HbvGrads {
  const { nt, nb, nm, np, P, T, PET } = pr;
  const nc = nb * nm;
  const { iBETAET, iC, iRT, iAC } = optionalSlots(flags);
  const fetch = makeFetch(pr);
  const dynIndex = pr.dynIndex ?? [];
  const nd = dynIndex.length;
  const dslot = new Int32Array(np).fill(-1);
  dynIndex.forEach((k, d) => (dslot[k] = d));
  const gPar = new Float64Array(nb * np * nm);
  const gDyn = new Float64Array(nt * nb * nd * nm);
  // adjoints of the end-of-day stores
  const aSP = new Float64Array(nc), aMW = new Float64Array(nc), aSM = new Float64Array(nc);
  const aSUZ = new Float64Array(nc), aSLZ = new Float64Array(nc);
  const p = new Float64Array(np);
  const gp = new Float64Array(np);
  const inv = 1 / nm;
  for (let t = nt - 1; t >= 0; t--) {
    const o = t * TAPE_SLOTS * nc;
    for (let b = 0; b < nb; b++) {
      const tb = t * nb + b;
      const Pt = P[tb], Tt = T[tb], PETt = PET[tb];
      const gq = gQ[tb] * inv;
      for (let m = 0; m < nm; m++) {
        fetch(t, b, m, p);
        gp.fill(0);
        const c = b * nm + m;
        const SP0 = tape[o + c], MW0 = tape[o + nc + c], SM0 = tape[o + 2 * nc + c];
        const SUZ0 = tape[o + 3 * nc + c], SLZ0 = tape[o + 4 * nc + c];
        // ---- recompute the day forward ----
        const isRain = Tt >= p[TT];
        const rain = isRain ? Pt : 0;
        const sp1 = SP0 + (isRain ? 0 : Pt);
        const dT = Tt - p[TT];
        const pm = p[CFMAX] * dT;
        const bm0 = pm > 0;
        const m0 = bm0 ? pm : 0;
        const bm1 = m0 < sp1;
        const melt = bm1 ? m0 : sp1;
        const mw1 = MW0 + melt;
        const sp2 = sp1 - melt;
        const pr0 = p[CFR] * p[CFMAX] * -dT;
        const br0 = pr0 > 0;
        const r0 = br0 ? pr0 : 0;
        const br1 = r0 < mw1;
        const refr = br1 ? r0 : mw1;
        const sp3 = sp2 + refr;
        const mw2 = mw1 - refr;
        const ts0 = mw2 - p[CWH] * sp3;
        const bts = ts0 > 0;
        const tosoil = bts ? ts0 : 0;
        const x = SM0 / p[FC];
        // the forward pass's own values (identical branches, no exp/log here)
        const sw0 = tape[o + 5 * nc + c], lx = tape[o + 6 * nc + c];
        const bsw = sw0 < 1;
        const sw = bsw ? sw0 : 1;
        const inflow = rain + tosoil;
        const recharge = inflow * sw;
        const sm1 = SM0 + inflow - recharge;
        const ex0 = sm1 - p[FC];
        const bex = ex0 > 0;
        const excess = bex ? ex0 : 0;
        const sm2 = sm1 - excess;
        const e0 = sm2 / (p[LP] * p[FC]);
        const e1 = tape[o + 7 * nc + c], le0 = tape[o + 8 * nc + c];
        const bef = e1 < 1;
        const ef = bef ? e1 : 1;
        const etp = PETt * ef;
        const bet = etp < sm2;
        const et = bet ? etp : sm2;
        const s3 = sm2 - et;
        const bsm3 = s3 > NEARZERO;
        const sm3 = bsm3 ? s3 : NEARZERO;
        let y = 0, by = false, ym = 0, cp: number, bcap = false, bs4 = false, bl1 = false, slz1 = SLZ0;
        if (iC >= 0) {
          y = sm3 / p[FC];
          by = y < 1;
          ym = by ? y : 1;
          cp = p[iC] * SLZ0 * (1 - ym);
          bcap = cp < SLZ0;
          const cap = bcap ? cp : SLZ0;
          bs4 = sm3 + cap > NEARZERO;
          const l1 = SLZ0 - cap;
          bl1 = l1 > NEARZERO;
          slz1 = bl1 ? l1 : NEARZERO;
        }
        const suz1 = SUZ0 + recharge + excess;
        const bpc = p[PERC] < suz1;
        const perc = bpc ? p[PERC] : suz1;
        const suz2 = suz1 - perc;
        const u0 = suz2 - p[UZL];
        const bu = u0 > 0;
        const q0 = p[K0] * (bu ? u0 : 0);
        const suz3 = suz2 - q0;
        const slz2 = slz1 + perc;
        let slz2b = slz2, bl3 = true, lk = { lf: 0, dAC: 0, dRT: 0 };
        if (iRT >= 0) {
          lk = leak(pr.area![b], p[iAC], p[iRT]);
          const l3 = slz2 + lk.lf;
          bl3 = l3 > 0;
          slz2b = bl3 ? l3 : 0;
        }
        // ---- reverse ----
        const gsp3a = aSP[c], gmw3 = aMW[c], gsm4 = aSM[c], gsuz4 = aSUZ[c], gslz3 = aSLZ[c];
        // q2 = K2·slz2b; slz3 = slz2b − q2
        const gq2 = gq - gslz3;
        const gslz2b = gslz3 + gq2 * p[K2];
        gp[K2] += gq2 * slz2b;
        let gslz2: number;
        if (iRT >= 0) {
          const gl3 = bl3 ? gslz2b : 0;
          gslz2 = gl3;
          gp[iRT] += gl3 * lk.dRT;
          gp[iAC] += gl3 * lk.dAC;
        } else gslz2 = gslz2b;
        // slz2 = slz1 + perc
        const gslz1 = gslz2;
        let gperc = gslz2;
        // q1 = K1·suz3; suz4 = suz3 − q1
        const gq1 = gq - gsuz4;
        const gsuz3 = gsuz4 + gq1 * p[K1];
        gp[K1] += gq1 * suz3;
        // q0 = K0·max(suz2 − UZL, 0); suz3 = suz2 − q0
        const gq0 = gq - gsuz3;
        let gsuz2 = gsuz3;
        if (bu) {
          gp[K0] += gq0 * u0;
          const gu0 = gq0 * p[K0];
          gsuz2 += gu0;
          gp[UZL] -= gu0;
        }
        // suz2 = suz1 − perc; perc = min(suz1, PERC)
        let gsuz1 = gsuz2;
        gperc -= gsuz2;
        if (bpc) gp[PERC] += gperc;
        else gsuz1 += gperc;
        // suz1 = SUZ + recharge + excess
        const gSUZ = gsuz1;
        let grecharge = gsuz1;
        let gexcess = gsuz1;
        // capillary rise
        let gsm3: number, gSLZ: number;
        if (iC >= 0) {
          const gs4 = bs4 ? gsm4 : 0;
          gsm3 = gs4;
          let gcap = gs4;
          const gl1 = bl1 ? gslz1 : 0;
          gSLZ = gl1;
          gcap -= gl1;
          if (bcap) {
            gp[iC] += gcap * SLZ0 * (1 - ym);
            gSLZ += gcap * p[iC] * (1 - ym);
            const gym = -gcap * p[iC] * SLZ0;
            if (by) {
              gsm3 += gym / p[FC];
              gp[FC] -= (gym * y) / p[FC];
            }
          } else gSLZ += gcap;
        } else {
          gsm3 = gsm4;
          gSLZ = gslz1;
        }
        // sm3 = max(sm2 − et, nz); et = min(PET·ef, sm2)
        const gs3 = bsm3 ? gsm3 : 0;
        let gsm2 = gs3;
        const get = -gs3;
        let getp = 0;
        if (bet) getp = get;
        else gsm2 += get;
        const gef = getp * PETt;
        const ge1 = bef ? gef : 0;
        let ge0 = ge1;
        if (iBETAET >= 0) {
          ge0 = e0 > 0 ? ge1 * p[iBETAET] * (e1 / e0) : 0;
          if (e0 > 0) gp[iBETAET] += ge1 * e1 * le0;
        }
        gsm2 += ge0 / (p[LP] * p[FC]);
        gp[LP] -= (ge0 * e0) / p[LP];
        gp[FC] -= (ge0 * e0) / p[FC];
        // sm2 = sm1 − excess; excess = max(sm1 − FC, 0)
        gexcess -= gsm2;
        let gsm1 = gsm2;
        if (bex) {
          gsm1 += gexcess;
          gp[FC] -= gexcess;
        }
        // sm1 = SM + inflow − recharge; recharge = inflow·sw
        let gSM = gsm1;
        let ginflow = gsm1;
        grecharge -= gsm1;
        ginflow += grecharge * sw;
        const gsw = grecharge * inflow;
        if (bsw && x > 0) {
          gp[BETA] += gsw * sw0 * lx;
          const gx = (gsw * p[BETA] * sw0) / x;
          gSM += gx / p[FC];
          gp[FC] -= (gx * x) / p[FC];
        }
        // inflow = rain + tosoil; mw3 = mw2 − tosoil; tosoil = max(mw2 − CWH·sp3, 0)
        const gtos = ginflow - gmw3;
        let gmw2 = gmw3;
        let gsp3 = gsp3a;
        if (bts) {
          gmw2 += gtos;
          gsp3 -= gtos * p[CWH];
          gp[CWH] -= gtos * sp3;
        }
        // sp3 = sp2 + refr; mw2 = mw1 − refr; refr = min(max(CFR·CFMAX·(TT−T), 0), mw1)
        const gsp2 = gsp3;
        let gmw1 = gmw2;
        const grefr = gsp3 - gmw2;
        if (br1) {
          if (br0) {
            gp[CFR] += grefr * p[CFMAX] * -dT;
            gp[CFMAX] += grefr * p[CFR] * -dT;
            gp[TT] += grefr * p[CFR] * p[CFMAX];
          }
        } else gmw1 += grefr;
        // mw1 = MW + melt; sp2 = sp1 − melt; melt = min(max(CFMAX·(T−TT), 0), sp1)
        const gMW = gmw1;
        let gsp1 = gsp2;
        const gmelt = gmw1 - gsp2;
        if (bm1) {
          if (bm0) {
            gp[CFMAX] += gmelt * dT;
            gp[TT] -= gmelt * p[CFMAX];
          }
        } else gsp1 += gmelt;
        aSP[c] = gsp1;
        aMW[c] = gMW;
        aSM[c] = gSM;
        aSUZ[c] = gSUZ;
        aSLZ[c] = gSLZ;
        // scatter parameter gradients to static or dynamic slots
        const base = b * np * nm + m;
        const db = (t * nb + b) * nd * nm + m;
        for (let k = 0; k < np; k++) {
          const d = dslot[k];
          if (d >= 0) gDyn[db + d * nm] += gp[k];
          else gPar[base + k * nm] += gp[k];
        }
      }
    }
  }
  return { params: gPar, dyn: gDyn };
}
