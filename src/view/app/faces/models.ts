/**
 * Models face: for a chosen forecast, channel, initial time, lead and member —
 * forecast | verification (the data file at the valid time) | forecast −
 * verification, the ensemble spread (std over members), and every score of
 * the scores files against lead time.
 */
import type { ForecastRef, ModelsFace } from '../../face-protocol.js';
import type { FileMeta, VarMeta } from '../../protocol.js';
import { getJson, getSlab, idPath, type SlabData } from '../api.js';
import { coordLabel } from '../sliders.js';
import { el, finiteRange, linePlot, MapPanel, panel, record, select, slider } from './panels.js';

function northUp(meta: FileMeta, v: VarMeta): boolean {
  const y = v.map ? meta.coords[v.dims[v.map.y]]?.values : undefined;
  return !!y && y.length > 1 && y[y.length - 1] > y[0];
}

/** Verification or spread slab; a missing one is shown as a message in its panel. */
async function optional(path: string, where: HTMLElement): Promise<SlabData | undefined> {
  try {
    return await getSlab(path);
  } catch (e) {
    where.replaceChildren(el('div', (e as Error).message, 'facenote'));
    return undefined;
  }
}

async function showForecast(host: HTMLElement, f: ForecastRef): Promise<void> {
  const meta = await getJson<FileMeta>(`/api/meta/${idPath(f.id)}`);
  const controls = el('div');
  host.append(controls);
  const row = el('div', '', 'facerow');
  host.append(row);
  const names = ['forecast', 'verification', 'difference', 'spread'];
  const titles = ['forecast (member)', 'verification (data at the valid time)', 'forecast − verification', 'ensemble spread (std over members, m − 1)'];
  const boxes = names.map((n, k) => panel(row, n, titles[k]));
  const maps = boxes.map((b) => new MapPanel(b));
  const at = { channel: f.channels[0], start: 0, lead: 0, member: 0 };
  const redraw = async () => {
    const v = meta.vars.find((x) => x.name === at.channel)!;
    const q = new URLSearchParams({ var: at.channel, start: String(at.start), lead: String(at.lead) });
    const fc = await getSlab(`/api/slab/${idPath(f.id)}?${new URLSearchParams({ var: at.channel, at: [at.start, at.member, at.lead, 0, 0].join(',') })}`);
    const [ny, nx] = fc.shape;
    const base = { ny, nx, stride: fc.stride, coords: meta.coords, flipY: northUp(meta, v) };
    const units = typeof v.attrs.units === 'string' ? v.attrs.units : '';
    const ver = f.verification ? await optional(`/api/verify/${idPath(f.id)}?${q}`, boxes[1]) : undefined;
    if (!f.verification) boxes[1].replaceChildren(el('div', f.noVerification ?? 'no verification data', 'facenote'));
    const [lo, hi] = finiteRange([fc.min, fc.max, ver?.min ?? NaN, ver?.max ?? NaN].filter(Number.isFinite));
    maps[0].draw({ ...base, v, data: fc.data, cmap: 'viridis', vmin: lo, vmax: hi });
    if (ver) {
      maps[1].draw({ ...base, v: { ...v, name: `${at.channel} (verification)` }, data: ver.data, cmap: 'viridis', vmin: lo, vmax: hi });
      const diff = fc.data.map((x, k) => x - ver.data[k]);
      const [dl, dh] = finiteRange(diff);
      const d = Math.max(Math.abs(dl), Math.abs(dh)) || 1;
      maps[2].draw({ ...base, v: { ...v, name: `${at.channel} forecast − verification`, attrs: { units } }, data: diff, cmap: 'RdBu', vmin: -d, vmax: d });
    }
    const sp = f.members > 1 ? await optional(`/api/spread/${idPath(f.id)}?${q}`, boxes[3]) : undefined;
    if (f.members < 2) boxes[3].replaceChildren(el('div', 'one member: no spread', 'facenote'));
    if (sp) maps[3].draw({ ...base, v: { ...v, name: `${at.channel} spread`, attrs: { units } }, data: sp.data, cmap: 'magma', vmin: 0, vmax: sp.max > 0 ? sp.max : 1 });
    record.draws++;
  };
  select(controls, 'channel', f.channels, (c) => ((at.channel = c), void redraw()));
  slider(controls, 'start', meta.dims.find((d) => d.name === 'time')!.size, (k) => coordLabel('time', k, meta.coords.time), (k) => ((at.start = k), void redraw()));
  slider(controls, 'lead', meta.coords.lead_time?.values.length ?? 1, (k) => coordLabel('lead_time', k, meta.coords.lead_time), (k) => ((at.lead = k), void redraw()));
  slider(controls, 'member', f.members, (k) => `${k}${k === 0 ? ' (control)' : ''}`, (k) => ((at.member = k), void redraw()));
  await redraw();
}

/** One plot per score (rmse, acc_*, crps_*, spread…), every scores file and channel as a line against lead time (h). */
async function showScores(host: HTMLElement, face: ModelsFace): Promise<void> {
  const files = await Promise.all(face.scores.map(async (s) => ({ s, meta: await getJson<FileMeta>(`/api/meta/${idPath(s.id)}`) })));
  const groups = new Map<string, Array<{ label: string; file: string; v: string }>>();
  for (const { s } of files) {
    const channels = new Set(face.forecasts.flatMap((f) => f.channels));
    for (const v of s.vars) {
      const c = [...channels].find((ch) => v.endsWith(`_${ch}`));
      const score = c ? v.slice(0, -c.length - 1) : v;
      if (!groups.has(score)) groups.set(score, []);
      groups.get(score)!.push({ label: `${s.label}${c ? ` ${c}` : ''}`, file: s.id, v });
    }
  }
  const row = el('div', '', 'facerow');
  host.append(row);
  for (const [score, lines] of groups) {
    const p = panel(row, `score-${score}`, `${score.replace(/_/g, ' ')} vs lead time`);
    const meta = files.find((x) => x.s.id === lines[0].file)!.meta;
    const x = meta.coords.lead_time?.values ?? [];
    const ys = await Promise.all(lines.map(async (l) => Array.from((await getSlab(`/api/slab/${idPath(l.file)}?var=${encodeURIComponent(l.v)}&series=1`)).data, (y) => (Number.isFinite(y) ? y : null))));
    linePlot(p, `score-${score}`, { x, xLabel: 'lead time (hours)', yLabel: score, series: lines.map((l, k) => ({ label: l.label, y: ys[k] })) });
  }
  record.draws++;
}

export async function showModels(host: HTMLElement, face: ModelsFace): Promise<void> {
  if (face.forecasts.length > 0) {
    const p = panel(host, 'forecast-pick', `${face.label}: forecasts`);
    const body = el('div');
    let chosen = face.forecasts[0];
    select(p, 'forecast', face.forecasts.map((f) => f.label), (label) => {
      chosen = face.forecasts.find((f) => f.label === label)!;
      body.replaceChildren();
      void showForecast(body, chosen);
    });
    p.append(body);
    await showForecast(body, chosen);
  }
  if (face.scores.length > 0) await showScores(host, face);
}
