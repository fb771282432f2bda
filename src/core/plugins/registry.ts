/**
 * Built-in plugins by name, each a lazy loader (the way zarrita.js registers
 * codecs), so heavy dependencies load only when a run names them.
 */
export type Loader = () => Promise<unknown>;

export class BuiltinRegistry {
  private readonly loaders = new Map<string, Loader>();

  constructor(readonly label = 'built-in') {}

  /** Registers (or replaces) `name`; `load` is called on first use only. */
  add(name: string, load: Loader): this {
    this.loaders.set(name, load);
    return this;
  }

  has(name: string): boolean {
    return this.loaders.has(name);
  }

  get(name: string): Loader | undefined {
    return this.loaders.get(name);
  }

  names(): string[] {
    return [...this.loaders.keys()].sort();
  }
}
