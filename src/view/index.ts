/** `nunatak view`: a local, read-only browser viewer for the files nunatak reads. */
export { startViewServer, DEFAULT_VIEW_PORT, type ViewOptions, type ViewServer } from './server.js';
export type { FileEntry, FileMeta, VarMeta, CoordMeta, CrsMeta } from './protocol.js';
