/** Plugins: one entrypoint resolver, lazy built-in registries, shape checks and the user-folder scanner. */
export { resolveEntrypoint, type ResolveOptions, type Resolved } from './resolve.js';
export { BuiltinRegistry, type Loader } from './registry.js';
export { checkShape, type PluginShape } from './shape.js';
export { scanUserFolder, type ScanOptions, type UserModule } from './user-folder.js';
export { isOwnModuleFile, ownExt, siblingFile } from './sibling.js';
export { importUserFile, isUserCodeFile } from './user-code.js';
export { PACKAGE_DIR, RUNNING_ROOT, isNunatakSpecifier, resolveNunatakSpecifier } from './self-import.js';
export { typecheck, type CheckProblem, type TsApi, type TypecheckResult, type VirtualFile } from './typecheck.js';
