/**
 * The UDF base class. A UDF declares result buffers, processes frames, tiles
 * or whole partitions on workers, and merges partition results in the caller.
 * Instances are rebuilt on workers as `new Class(params)` from the class's
 * static `entry` ("./file.ts#ExportName"), so a constructor must take exactly
 * the params object and `params` must be structured-clone data.
 */
import { NunatakError } from '../core/errors.js';
import { makeBufferSpec, type BufferOptions, type BufferSpec } from './buffer.js';
import type { DType, TypedArray } from './dtype.js';
import type { UDFMeta } from './meta.js';

/** A stack of frames × a rectangular part of the signal, C order (depth, ...sigShape). */
export interface Tile {
  data: TypedArray;
  depth: number;
  /** Origin and extent of this tile on the signal axes. */
  sigOrigin: number[];
  sigShape: number[];
}

export type ProcessMethod = 'tile' | 'frame' | 'partition';

export interface TilingPreferences {
  /** Frames per tile (default 32). */
  depth?: number;
  /** Upper bound on tile bytes (default 1 MiB). */
  totalSize?: number;
}

export type Buffers = Record<string, TypedArray>;

/** The process methods a UDF may define. */
export interface ProcessMethods {
  processFrame?(frame: TypedArray): void;
  processTile?(tile: Tile): void;
  processPartition?(partition: Tile): void;
}

/** `${import.meta.url}#ExportName` — the entry a UDF class declares. */
export function udfEntry(moduleUrl: string, exportName: string): string {
  return `${moduleUrl}#${exportName}`;
}

export abstract class UDF<P extends object = Record<string, unknown>> {
  /** Where workers load this class from: "./file.ts#Export" or a module URL + '#Export'. */
  static entry?: string;

  /** Parameters; aux data entries are sliced to the current frames during process*. */
  params: P;
  /** Set by the runner before every call. */
  meta!: UDFMeta;
  /** Current buffer views (per frame / tile / partition, or full in getResults). */
  results!: Buffers;
  /** Per-partition scratch from getTaskData (worker only). */
  taskData: Record<string, unknown> = {};

  constructor(params?: P) {
    this.params = (params ?? {}) as P;
  }

  /** Declare result buffers with `this.buffer(...)`. */
  abstract getResultBuffers(): Record<string, BufferSpec>;

  buffer(o: BufferOptions): BufferSpec {
    return makeBufferSpec(o, `UDF ${this.constructor.name}`);
  }

  // Subclasses define one or more of (not declared here, so no `override` is needed):
  //   processFrame(frame: TypedArray): void
  //   processTile(tile: Tile): void
  //   processPartition(partition: Tile): void

  /** Which process method runs: tile > frame > partition among those defined. */
  getMethod(): ProcessMethod {
    const m = this as unknown as ProcessMethods;
    if (typeof m.processTile === 'function') return 'tile';
    if (typeof m.processFrame === 'function') return 'frame';
    if (typeof m.processPartition === 'function') return 'partition';
    throw new NunatakError('CONFIG', `UDF ${this.constructor.name} defines none of processTile, processFrame, processPartition`);
  }

  /** Input element type: 'float32' (default), 'float64' or 'native' (the dataset's). */
  preferredInputDtype(): DType | 'native' {
    return 'float32';
  }

  tilingPreferences(): TilingPreferences {
    return {};
  }

  /** Async set-up on the worker, once per partition before getTaskData (e.g. load a module). */
  async setup(): Promise<void> {}

  /** Once per partition on the worker, before preprocess; becomes `this.taskData`. */
  getTaskData(): Record<string, unknown> {
    return {};
  }

  /** Initialise buffers (runs in the caller on full buffers and on workers per partition). */
  preprocess(): void {}

  /** After the last tile of a partition, on the worker. */
  postprocess(): void {}

  /**
   * Fold a partition's buffers (`src`) into the caller's (`dest`; nav buffers
   * are the partition's view). The default copies nav buffers; a UDF with sig
   * or single buffers must define its own.
   */
  merge(dest: Buffers, src: Buffers): void {
    const specs = this.getResultBuffers();
    const needs = Object.entries(specs).filter(([, s]) => s.kind !== 'nav' && s.use !== 'result_only');
    if (needs.length > 0) {
      throw new NunatakError(
        'CONFIG',
        `UDF ${this.constructor.name} must define merge(dest, src): buffer(s) ${needs.map(([n, s]) => `'${n}' (${s.kind})`).join(', ')} cannot be merged by the default, which only copies nav buffers`,
        { hint: 'e.g. for a sum: dest.x[i] += src.x[i] for every element' },
      );
    }
    for (const [name, s] of Object.entries(specs)) if (s.use !== 'result_only') dest[name] = src[name];
  }

  /**
   * Final results from the merged buffers (lazy: runs when a result is first
   * read). Return only what changes; result_only buffers must be returned.
   */
  getResults(): Buffers {
    return {};
  }
}

export type UDFClass = (new (params?: any) => UDF<any>) & { entry?: string };
