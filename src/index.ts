/** `import … from 'nunatak'`: the shared core (errors, logging, tensors, fields, config, plugins, I/O helpers). Faces have their own entry points: `nunatak/sim`, `nunatak/models`, `nunatak/udf`, `nunatak/emulator`, `nunatak/hybrid`, `nunatak/io`, `nunatak/exec`. */
export * from './core/index.js';
