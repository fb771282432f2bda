/**
 * Blatter–Pattyn ice flow (IGM 2.x energy formulation): settings, vertical
 * discretisation, the energy J(U, V) with its adjoint, the TF.js loss, and
 * 2-D diagnostics. See docs/sim-numerics.md, "Blatter–Pattyn energy".
 */
export { defaultBPSettings, validateBPSettings, type BPSettings } from './settings.js';
export { bpLevels, bpLayerFractions, bpDepthWeights } from './vertical.js';
export { bpCorners, bpFreeMask, type BPGeometry, type BPCorners } from './geometry.js';
export { bpProblem } from './problem.js';
export type { BPProblem, BPProblemOptions } from './problem-api.js';
export { setBPThreads, bpThreads } from './threads.js';
export { bpEnergyLoss } from './loss.js';
export { bpDerived, type BPDerived } from './derived.js';
