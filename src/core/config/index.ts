/** Config: module defaults with schemas, experiment files, overrides, sweeps, validation and saving. */
export * from './types.js';
export { YamlSource } from './yaml-source.js';
export { coerceValue, type ValueContext } from './coerce.js';
export { loadModuleDefaults, parseModuleDefaults, type ModuleDefaults } from './module-defaults.js';
export { ConfigCatalog, configCatalog, addCatalogProvider, loadCatalogProviders, type CatalogEntry } from './catalog.js';
export { readExperiment, type Experiment } from './experiment.js';
export { parseOverride, splitSweep, type Override } from './overrides.js';
export { resolveConfig, resolveMultirun, type ResolveInput, type ResolvedConfig, type RunConfig } from './resolve.js';
export { toYaml, saveResolved } from './save.js';
export { formatModuleHelp } from './help.js';
