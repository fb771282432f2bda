/** Built-in UDFs by name (for the CLI). */
import type { UDFClass } from '../udf.js';

export const BUILTIN_UDFS: Record<string, () => Promise<UDFClass>> = {
  sum: async () => (await import('./sum.js')).SumUDF,
  sumsig: async () => (await import('./sumsig.js')).SumSigUDF,
  stddev: async () => (await import('./stddev.js')).StdDevUDF,
  logsum: async () => (await import('./logsum.js')).LogsumUDF,
  masks: async () => (await import('./masks.js')).ApplyMasksUDF,
  com: async () => (await import('./com.js')).CoMUDF,
  pick: async () => (await import('./pick.js')).PickUDF,
};
