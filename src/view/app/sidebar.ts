/** The left column: served files, the chosen file's variables, and attributes. */
import type { FileEntry, JsonAttrs, VarMeta } from '../protocol.js';

function list<T>(host: HTMLElement, items: T[], text: (t: T) => [string, string], pick: (t: T, li: HTMLElement) => void): void {
  host.replaceChildren(
    ...items.map((t) => {
      const li = document.createElement('li');
      const [main, small] = text(t);
      li.textContent = main + ' ';
      const s = document.createElement('small');
      s.textContent = small;
      li.append(s);
      li.addEventListener('click', () => pick(t, li));
      return li;
    }),
  );
}

/** Mark `li` as the chosen entry of its list. */
export function markOn(li: Element | null | undefined): void {
  li?.parentElement?.querySelectorAll('li.on').forEach((x) => x.classList.remove('on'));
  li?.classList.add('on');
}

export function showFiles(host: HTMLElement, files: FileEntry[], pick: (f: FileEntry, li: HTMLElement) => void): void {
  list(host, files, (f) => [f.label, `${f.kind}, ${(f.size / 1024).toFixed(0)} KiB`], pick);
}

export function showVars(host: HTMLElement, vars: VarMeta[], pick: (v: VarMeta, li: HTMLElement) => void): void {
  list(host, vars, (v) => [v.name, `(${v.dims.map((d, k) => `${d}=${v.shape[k]}`).join(', ')}) ${v.dtype}`], pick);
}

export function showAttrs(host: HTMLElement, attrs: JsonAttrs): void {
  host.replaceChildren(
    ...Object.entries(attrs).flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = Array.isArray(v) ? v.join(', ') : String(v);
      return [dt, dd];
    }),
  );
}
