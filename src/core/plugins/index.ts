/** Plugins: one entrypoint resolver, lazy built-in registries, shape checks and the user-folder scanner. */
export { resolveEntrypoint, type ResolveOptions, type Resolved } from './resolve.js';
export { BuiltinRegistry, type Loader } from './registry.js';
export { checkShape, type PluginShape } from './shape.js';
export { scanUserFolder, type ScanOptions, type UserModule } from './user-folder.js';
