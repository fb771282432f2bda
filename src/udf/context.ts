/**
 * `Context`: runs UDFs on one executor — `runUdf`, `runUdfIter`, `map`.
 */
import { createExecutor, type ExecutorOptions } from '../exec/create.js';
import type { Executor } from '../exec/contract.js';
import { AutoUDF } from './builtins/auto.js';
import type { Dataset } from './dataset/dataset.js';
import { UDFResults } from './results.js';
import { runUdf, runUdfIter, type PartialResults, type RunUdfOptions } from './runner.js';
import type { UDF } from './udf.js';

export class Context {
  constructor(readonly executor: Executor) {}

  /** A context on a new executor (inline by default). */
  static async make(opts: ExecutorOptions = { kind: 'inline' }): Promise<Context> {
    return new Context(await createExecutor(opts));
  }

  /** Run one UDF (→ its results) or several in one pass (→ one results object each). */
  runUdf(ds: Dataset, udf: UDF<any>, opts?: RunUdfOptions): Promise<UDFResults>;
  runUdf(ds: Dataset, udfs: UDF<any>[], opts?: RunUdfOptions): Promise<UDFResults[]>;
  async runUdf(ds: Dataset, udf: UDF<any> | UDF<any>[], opts: RunUdfOptions = {}): Promise<UDFResults | UDFResults[]> {
    const r = await runUdf(this.executor, ds, Array.isArray(udf) ? udf : [udf], opts);
    return Array.isArray(udf) ? r : r[0];
  }

  /** Partial results and the damage mask after every merged partition. */
  runUdfIter(ds: Dataset, udf: UDF<any> | UDF<any>[], opts: RunUdfOptions = {}): AsyncGenerator<PartialResults> {
    return runUdfIter(this.executor, ds, Array.isArray(udf) ? udf : [udf], opts);
  }

  /**
   * Apply `fn` (an entrypoint "./f.ts#fn" taking a frame and returning a
   * number or a typed array) to every frame; result buffer `result` (nav).
   */
  async map(ds: Dataset, fn: string, opts: RunUdfOptions = {}): Promise<UDFResults> {
    const udf = await AutoUDF.create(fn, ds);
    return this.runUdf(ds, udf, opts);
  }

  close(): Promise<void> {
    return this.executor.close();
  }
}
