/**
 * A YAML file parsed with the line of every key, so config errors can point
 * at `file:line`. Built on the `yaml` package's document API.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from 'yaml';
import { NunatakError } from '../errors.js';

export class YamlSource {
  /** Plain JS data of the document. */
  readonly data: unknown;
  private readonly lines = new Map<string, number>();

  private constructor(readonly file: string, data: unknown, root: Node | null, counter: LineCounter) {
    this.data = data;
    if (root) this.walk(root, [], counter);
  }

  /** Reads and parses `file`; syntax errors become CONFIG errors with the line. */
  static read(file: string): YamlSource {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new NunatakError('CONFIG', `cannot read config file ${file}: ${(e as Error).message}`, {
        hint: 'check the path (relative paths are taken from the current directory)',
      });
    }
    return YamlSource.parse(text, file);
  }

  static parse(text: string, file = '<string>'): YamlSource {
    const counter = new LineCounter();
    const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const line = counter.linePos(err.pos[0]).line;
      throw new NunatakError('CONFIG', `${file}:${line}: invalid YAML: ${err.message.split('\n')[0]}`, {
        hint: 'fix the YAML syntax (indentation, colons, quotes)',
      });
    }
    return new YamlSource(file, doc.toJS(), doc.contents as Node | null, counter);
  }

  /** 1-based line of the key at `path` (or of the nearest ancestor that has one). */
  lineOf(path: readonly (string | number)[]): number | undefined {
    for (let n = path.length; n >= 0; n--) {
      const l = this.lines.get(path.slice(0, n).join('\u0000'));
      if (l !== undefined) return l;
    }
    return undefined;
  }

  /** `file:line` (or just the file) for messages. */
  where(path: readonly (string | number)[]): string {
    const l = this.lineOf(path);
    return l === undefined ? this.file : `${this.file}:${l}`;
  }

  private walk(node: Node, path: (string | number)[], counter: LineCounter): void {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const p = [...path, key];
        const range = (pair.key as Node | null)?.range;
        if (range) this.lines.set(p.join('\u0000'), counter.linePos(range[0]).line);
        if (pair.value) this.walk(pair.value as Node, p, counter);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const p = [...path, i];
        const range = (item as Node).range;
        if (range) this.lines.set(p.join('\u0000'), counter.linePos(range[0]).line);
        this.walk(item as Node, p, counter);
      });
    }
  }
}
