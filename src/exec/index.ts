/** Public API of the executor seam. */
export type * from './contract.js';
export { createExecutor, EXECUTOR_KINDS, type ExecutorKind, type ExecutorOptions } from './create.js';
export { InlineExecutor } from './inline.js';
export { ThreadsExecutor, type ThreadsOptions } from './threads.js';
export { loadEntry, loadFunction, parseEntry, registerLocal } from './load-entry.js';
export { shareLargeArrays, shareTypedArray, SHARE_MIN_BYTES } from './share.js';
export type { DistributedOptions } from './distributed.js';
export { isMain } from './main-script.js';
