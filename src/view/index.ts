/** `nunatak view`: a local, read-only browser viewer for the files nunatak reads. */
export { startViewServer, DEFAULT_VIEW_PORT, type ViewOptions, type ViewServer } from './server.js';
export type { FileEntry, FileMeta, VarMeta, CoordMeta, CrsMeta } from './protocol.js';
export { LiveHub, type LiveEvent, type LiveBuffer } from './live/hub.js';
export { publishUdfRun, type UdfLive } from './live/udf.js';
export { publishTraining, type TrainingLive } from './live/emulator.js';
export type * from './live/protocol.js';
