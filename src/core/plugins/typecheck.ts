/**
 * Type-checks a user's files against the running nunatak's types with the
 * TypeScript compiler API: `nunatak` / `nunatak/...` map to the running copy
 * (its .d.ts when installed, its sources in a checkout), strict mode, ES
 * modules, no package.json needed. Only problems in the user's files are
 * reported. Virtual files (never written) let a caller check a contract
 * (`const m: ProcessModule = userModule`) and report its errors at the user's file.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type * as TS from 'typescript';
import type tsApi from 'typescript';

/** The TypeScript compiler API module. */
export type TsApi = typeof tsApi;
import { PACKAGE_DIR, RUNNING_ROOT } from './self-import.js';

/** One problem, located in a user's file (line and column 1-based). */
export interface CheckProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** A file that exists only for the check; its errors are reported at `reportAt` with `prefix`. */
export interface VirtualFile {
  path: string;
  text: string;
  reportAt: { file: string; line: number; column: number };
  prefix: string;
}

export interface TypecheckResult {
  problems: CheckProblem[];
  program: TS.Program;
  checker: TS.TypeChecker;
  ts: TsApi;
}

function typeRoots(): string[] {
  // @types/node beside nunatak (global install) or hoisted next to it (local install).
  return [join(PACKAGE_DIR, 'node_modules', '@types'), join(dirname(PACKAGE_DIR), '@types')].filter((d) => existsSync(d));
}

export function compilerOptions(ts: TsApi): TS.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    allowImportingTsExtensions: true,
    allowJs: true,
    checkJs: false,
    isolatedModules: true,
    types: ['node'],
    typeRoots: typeRoots(),
    customConditions: ['nunatak-source'],
    baseUrl: RUNNING_ROOT,
    paths: { nunatak: ['./index'], 'nunatak/*': ['./*', './*/index'] },
  };
}

function isUserFile(file: string): boolean {
  const f = resolve(file);
  return !f.startsWith(RUNNING_ROOT + sep) && !f.split(sep).includes('node_modules');
}

function position(ts: TsApi, d: TS.Diagnostic): { line: number; column: number } {
  if (!d.file || d.start === undefined) return { line: 1, column: 1 };
  const p = d.file.getLineAndCharacterOfPosition(d.start);
  return { line: p.line + 1, column: p.character + 1 };
}

/** Type-checks `files` (absolute) plus `virtual` files; problems only in the user's files. */
export async function typecheck(files: string[], virtual: VirtualFile[] = []): Promise<TypecheckResult> {
  const ts = (await import('typescript')).default;
  const options = compilerOptions(ts);
  const host = ts.createCompilerHost(options, true);
  const byPath = new Map(virtual.map((v) => [resolve(v.path), v]));
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => byPath.has(resolve(f)) || fileExists.call(host, f);
  host.readFile = (f) => byPath.get(resolve(f))?.text ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, onError, create) => {
    const v = byPath.get(resolve(f));
    return v ? ts.createSourceFile(f, v.text, lang, true) : getSourceFile.call(host, f, lang, onError, create);
  };
  const program = ts.createProgram([...files, ...byPath.keys()], options, host);
  const problems: CheckProblem[] = [];
  const seen = new Set<string>();
  for (const d of [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics(), ...program.getOptionsDiagnostics()]) {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n    ');
    const v = d.file ? byPath.get(resolve(d.file.fileName)) : undefined;
    let p: CheckProblem;
    if (v) p = { ...v.reportAt, message: `${v.prefix}${text}` };
    else if (d.file && isUserFile(d.file.fileName)) p = { file: resolve(d.file.fileName), ...position(ts, d), message: text };
    else continue;
    const key = `${p.file}:${p.line}:${p.column}:${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(p);
  }
  return { problems, program, checker: program.getTypeChecker(), ts };
}
