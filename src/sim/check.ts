/**
 * `nunatak check` for sim user modules (`user/code/<kind>/<name>.ts`): the
 * module fits its kind's contract (lifecycle functions with (cfg, state),
 * `fields` as a FieldDecl), and every parameter the code reads from
 * `cfg.<kind>.<name>` — through `params<T>(cfg, kind, name)`, a cast
 * `cfg.<kind>.<name> as T`, or a direct `cfg.<kind>.<name>.<key>` — is defined
 * in the module's defaults YAML. Problems carry file:line.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type * as TS from 'typescript';
import { loadModuleDefaults } from '../core/config/index.js';
import { scanUserFolder, typecheck, type CheckProblem, type TsApi, type UserModule, type VirtualFile } from '../core/plugins/index.js';
import { LIFECYCLE, MODULE_KINDS, type ModuleKind } from './contract.js';
import { builtinDefaultsFile } from './modules/registry.js';

const CONTRACT_TYPE: Record<ModuleKind, string> = { inputs: 'InputModule', processes: 'ProcessModule', outputs: 'OutputModule' };

/** The user modules (with code) of the experiment folder `root`. */
export function userModules(root: string): UserModule[] {
  return scanUserFolder(root, { kinds: [...MODULE_KINDS] }).filter((m) => m.code !== undefined);
}

/** The module's kind when `file` sits at user/code/<kind>/<name>.ts (or <name>/<name>.ts). */
export function moduleOfFile(file: string): UserModule | undefined {
  for (let dir = dirname(file), i = 0; i < 3; dir = dirname(dir), i++) {
    if (basename(dir) === 'code' && basename(dirname(dir)) === 'user') {
      return userModules(dirname(dirname(dir))).find((m) => m.code === file);
    }
  }
  return undefined;
}

function contractFile(m: UserModule): VirtualFile {
  const kind = m.kind as ModuleKind;
  const code = m.code!;
  const text = [
    `import * as m from './${basename(code)}';`,
    `import type { ${CONTRACT_TYPE[kind]} } from 'nunatak/sim';`,
    'declare const mod: typeof m extends { default: infer D } ? D : typeof m;',
    `export const contract: ${CONTRACT_TYPE[kind]} = mod;`,
  ].join('\n');
  return {
    path: join(dirname(code), `__nunatak_contract_${m.name}.ts`),
    text,
    reportAt: { file: code, line: 1, column: 1 },
    prefix: `${m.kind} module '${m.name}' does not fit the contract (${LIFECYCLE[kind].map((f) => `${f}(cfg, state)`).join(', ')}; optional fields): `,
  };
}

function yamlOf(m: UserModule): string | undefined {
  if (m.conf) return m.conf;
  const b = builtinDefaultsFile(m.kind as ModuleKind, m.name);
  return existsSync(b) ? b : undefined;
}

function strip(ts: TsApi, e: TS.Expression): TS.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

/** True when `e` is `<…>.<kind>.<name>` or `<…>.<kind>['<name>']` (through casts). */
function isParamsGroup(ts: TsApi, e: TS.Expression, m: UserModule): boolean {
  e = strip(ts, e);
  const nameOf = (x: TS.Expression): string | undefined =>
    ts.isPropertyAccessExpression(x) ? x.name.text : ts.isElementAccessExpression(x) && ts.isStringLiteral(x.argumentExpression) ? x.argumentExpression.text : undefined;
  if (nameOf(e) !== m.name) return false;
  const inner = strip(ts, (e as TS.PropertyAccessExpression | TS.ElementAccessExpression).expression);
  return nameOf(inner) === m.kind;
}

function paramProblems(ts: TsApi, checker: TS.TypeChecker, sf: TS.SourceFile, m: UserModule): CheckProblem[] {
  const used: { key: string; node: TS.Node }[] = [];
  const addType = (t: TS.TypeNode) => {
    for (const p of checker.getTypeFromTypeNode(t).getProperties()) used.push({ key: p.name, node: p.valueDeclaration ?? p.declarations?.[0] ?? t });
  };
  const visit = (n: TS.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'params' && n.typeArguments?.length === 1) {
      const [, k, name] = n.arguments;
      if (k && name && ts.isStringLiteral(k) && ts.isStringLiteral(name) && k.text === m.kind && name.text === m.name) addType(n.typeArguments[0]!);
    } else if ((ts.isAsExpression(n) || ts.isTypeAssertionExpression(n)) && isParamsGroup(ts, n.expression, m)) {
      addType(n.type);
    } else if (ts.isPropertyAccessExpression(n) && isParamsGroup(ts, n.expression, m)) {
      used.push({ key: n.name.text, node: n.name });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  if (used.length === 0) return [];
  const yaml = yamlOf(m);
  const at = (node: TS.Node) => {
    const p = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    return { file: m.code!, line: p.line + 1, column: p.character + 1 };
  };
  if (!yaml) {
    return [{ ...at(used[0]!.node), message: `${m.kind} module '${m.name}' reads parameters but has no defaults YAML; write user/conf/${m.kind}/${m.name}.yaml` }];
  }
  const defined = Object.keys(loadModuleDefaults(yaml).defaults);
  const out: CheckProblem[] = [];
  const seen = new Set<string>();
  for (const u of used) {
    if (defined.includes(u.key) || seen.has(u.key)) continue;
    seen.add(u.key);
    out.push({ ...at(u.node), message: `parameter '${u.key}' of ${m.kind} module '${m.name}' is not defined in ${yaml} (defined there: ${defined.join(', ') || 'none'})` });
  }
  return out;
}

/** Type errors, contract misfits and undefined parameters of the given sim user modules (plus `extra` plain files). */
export async function checkSimModules(mods: UserModule[], extra: string[] = []): Promise<CheckProblem[]> {
  const files = [...mods.map((m) => m.code!), ...extra];
  const r = await typecheck(files, mods.map(contractFile));
  const problems = [...r.problems];
  for (const m of mods) {
    const sf = r.program.getSourceFile(m.code!);
    if (sf) problems.push(...paramProblems(r.ts, r.checker, sf, m));
  }
  return problems;
}
