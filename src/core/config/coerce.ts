/**
 * Typed checking of parameter values against their spec. Values come from YAML
 * files or from command-line strings parsed as YAML, so the checks are a little
 * forgiving where YAML is ambiguous (`name=2100` for a string parameter) and
 * strict where a silent change would hide a mistake ("78" for a number).
 */
import { NunatakError, didYouMean } from '../errors.js';
import { describeType, type ConfigValue, type ItemType, type ParamSpec } from './types.js';

/** Context for error messages: `where` is `file:line` or `command line`, `key` the dotted path. */
export interface ValueContext {
  where: string;
  key: string;
}

function typeError(spec: ParamSpec, value: unknown, ctx: ValueContext, detail = ''): NunatakError {
  const shown = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
  const units = spec.units ? ` in ${spec.units}` : '';
  const t = describeType(spec);
  const article = /^[aeiou]/.test(t) ? 'an' : 'a';
  return new NunatakError(
    'CONFIG',
    `${ctx.where}: ${ctx.key} = ${shown} is not a valid ${t}${detail}`,
    { hint: `${ctx.key} expects ${article} ${t}${units}: ${spec.help}` },
  );
}

function coerceItem(type: ItemType, v: unknown): ConfigValue | undefined {
  switch (type) {
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
    case 'boolean':
      return typeof v === 'boolean' ? v : undefined;
    case 'string':
      // YAML reads `2100` or `true` as non-strings; a string parameter keeps their text.
      return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  }
}

/** Returns `value` converted to the spec's type, or throws a CONFIG error naming key, place and expected type. */
export function coerceValue(spec: ParamSpec, value: unknown, ctx: ValueContext): ConfigValue {
  if (value === null || value === undefined) {
    if (spec.nullable) return null;
    throw typeError(spec, null, ctx, ' (null is not allowed here)');
  }
  switch (spec.type) {
    case 'number':
    case 'integer':
    case 'boolean':
    case 'string': {
      const v = coerceItem(spec.type, value);
      if (v === undefined) throw typeError(spec, value, ctx);
      return v;
    }
    case 'enum': {
      const s = typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
      const choices = spec.choices ?? [];
      if (s === undefined || !choices.includes(s)) {
        const near = s === undefined ? '' : didYouMean(s, choices);
        throw typeError(spec, value, ctx, near || ` (choices: ${choices.join(', ')})`);
      }
      return s;
    }
    case 'list': {
      if (!Array.isArray(value)) throw typeError(spec, value, ctx, ' (write a list as [a, b])');
      return value.map((item, i) => {
        const v = coerceItem(spec.items ?? 'string', item);
        if (v === undefined) throw typeError(spec, value, ctx, ` (item ${i} = ${JSON.stringify(item)} is not a ${spec.items})`);
        return v;
      }) as ConfigValue;
    }
  }
}
