/**
 * The module contract (as IGM): inputs `run(cfg, state)`; processes
 * `initialize / update / finalize(cfg, state)`; outputs `initialize /
 * run(cfg, state)`. `cfg` is the whole resolved config tree, so a module reads
 * its own parameters at `cfg.<kind>.<name>.<key>` (see {@link params}).
 * A module declares the state fields it reads and writes so the engine can
 * check, before the first step, that every read has a producer.
 */
import { NunatakError } from '../core/errors.js';
import type { ConfigTree } from '../core/config/index.js';
import type { SimState } from './state.js';

/** Module kinds, in the order the engine runs them. */
export type ModuleKind = 'inputs' | 'processes' | 'outputs';
export const MODULE_KINDS: readonly ModuleKind[] = ['inputs', 'processes', 'outputs'];

/** The resolved configuration: `cfg.processes.time.end` etc. */
export type SimConfig = ConfigTree;

/** Fields a module reads (must exist before it runs) and writes. */
export interface FieldDecl {
  /** Fields that must be produced by an input or an earlier module. */
  reads?: string[];
  /** Fields used when present (e.g. `icemask`). */
  optional?: string[];
  /** Fields this module creates or updates. */
  writes?: string[];
}

type MaybePromise = void | Promise<void>;

/** Fields may depend on the config (e.g. which variables an output writes). */
export type FieldsOf = FieldDecl | ((cfg: SimConfig) => FieldDecl);

export interface InputModule {
  run(cfg: SimConfig, state: SimState): MaybePromise;
  fields?: FieldsOf;
}

export interface ProcessModule {
  initialize(cfg: SimConfig, state: SimState): MaybePromise;
  update(cfg: SimConfig, state: SimState): MaybePromise;
  finalize(cfg: SimConfig, state: SimState): MaybePromise;
  fields?: FieldsOf;
}

export interface OutputModule {
  initialize(cfg: SimConfig, state: SimState): MaybePromise;
  run(cfg: SimConfig, state: SimState): MaybePromise;
  fields?: FieldsOf;
}

export type SimModule = InputModule | ProcessModule | OutputModule;

/** Lifecycle functions each kind must export. */
export const LIFECYCLE: Record<ModuleKind, readonly string[]> = {
  inputs: ['run'],
  processes: ['initialize', 'update', 'finalize'],
  outputs: ['initialize', 'run'],
};

/**
 * A module's own parameters, `cfg[kind][name]`, typed by the caller
 * (`params<TimeParams>(cfg, 'processes', 'time')`).
 */
export function params<T>(cfg: SimConfig, kind: ModuleKind, name: string): T {
  const group = cfg[kind] as ConfigTree | undefined;
  const p = group?.[name];
  if (p === undefined || p === null || typeof p !== 'object' || Array.isArray(p)) {
    throw new NunatakError('CONFIG', `no parameters for ${kind} module '${name}' in the config`, {
      hint: `select it in the experiment's defaults list (override /${kind}: [..., ${name}])`,
    });
  }
  return p as unknown as T;
}

/** The declared fields of a module for this config. */
export function fieldsOf(m: SimModule, cfg: SimConfig): Required<FieldDecl> {
  const d = typeof m.fields === 'function' ? m.fields(cfg) : m.fields ?? {};
  return { reads: d.reads ?? [], optional: d.optional ?? [], writes: d.writes ?? [] };
}
