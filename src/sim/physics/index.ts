/**
 * Glacier physics kernels for the sim face: plain functions over Float32Array
 * fields (ny, nx, C order), dx in m, time in years. See docs/sim-numerics.md.
 */
export * from './constants.js';
export * from './sia.js';
export * from './face-velocity.js';
export * from './transport.js';
export * from './surface.js';
export * from './timestep.js';
export * from './smb-simple.js';
export * from './check.js';
export * from './bueler.js';
export * from './verify.js';
export * from './wasm-runtime.js';
export * from './sia-wasm.js';
export * from './transport-wasm.js';
export * from './smb-wasm.js';
export * from './bp/index.js';
