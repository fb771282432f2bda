/**
 * nunatak's one error type. Every error a user can cause carries a stable
 * `code` (for scripts and tests), a message naming the file / variable / key at
 * fault, and a `hint` saying what was expected or how to fix it.
 */
export type ErrorCode =
  | 'CONFIG' // bad or unknown configuration key / value
  | 'IO' // unreadable, truncated or malformed file
  | 'NOT_FOUND' // file, variable, module, export, basin... that does not exist
  | 'SHAPE' // array shapes / grids that do not fit together
  | 'DTYPE' // unsupported or mismatched data type
  | 'PLUGIN' // entrypoint that cannot be resolved or has the wrong kind
  | 'NUMERIC' // NaN / Inf / negative thickness or other numerical blow-up
  | 'EXEC' // executor, worker or queue failure
  | 'DEPENDENCY' // optional peer / backend missing
  | 'INPUT' // invalid user data (negative precipitation, ROI of wrong shape...)
  | 'CANCELLED'; // work was cancelled by the caller

export class NunatakError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'NunatakError';
    this.code = code;
    this.hint = opts.hint;
  }

  /** Message plus hint, the way the CLI prints it. */
  describe(): string {
    return this.hint ? `${this.message}\n  hint: ${this.hint}` : this.message;
  }
}

/** True for a NunatakError with the given code (or any code when omitted). */
export function isNunatakError(e: unknown, code?: ErrorCode): e is NunatakError {
  return e instanceof NunatakError && (code === undefined || e.code === code);
}

/** Levenshtein distance, for "did you mean …" suggestions. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n];
}

/**
 * Up to `max` candidates close to `name` (edit distance ≤ max(2, 40 % of the
 * length), or sharing a prefix), best first.
 */
export function suggest(name: string, candidates: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length * 0.4));
  const scored: Array<[number, string]> = [];
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    const prefix = c.toLowerCase().startsWith(name.toLowerCase()) || name.toLowerCase().startsWith(c.toLowerCase());
    if (d <= limit || (prefix && name.length >= 3)) scored.push([d, c]);
  }
  scored.sort((x, y) => x[0] - y[0] || x[1].localeCompare(y[1]));
  return scored.slice(0, max).map((s) => s[1]);
}

/** " — did you mean 'a' or 'b'?" or an empty string when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const s = suggest(name, candidates);
  if (s.length === 0) return '';
  return ` — did you mean ${s.map((x) => `'${x}'`).join(' or ')}?`;
}
