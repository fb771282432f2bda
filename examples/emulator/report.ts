/** `report.md` of the emulator example: markdown tables of the measured numbers. */
import type { ExampleResult } from './run.js';

const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : String(x));
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / Math.max(xs.length, 1);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

export function formatReport(r: ExampleResult): string {
  const h0 = r.history[0];
  const h1 = r.history.at(-1)!;
  const withIce = r.errors.filter((e) => e.iceCells > 0);
  const last = r.errors.at(-1)!;
  const diag = r.diagnosticRows.filter((d) => d.ice_cells > 0);
  const lines = [
    `# Emulator example (${r.plan}) — ${r.emulatorDir.split('/').pop()}`,
    '',
    `Data generation ${f(r.seconds.data, 1)} s, training ${f(r.seconds.train, 1)} s (${r.history.length} epochs; loss ${h0.loss.toPrecision(3)} → ${h1.loss.toPrecision(3)}, val_loss ${h0.val_loss.toPrecision(3)} → ${h1.val_loss.toPrecision(3)}, scaled units).`,
    '',
    '## Emulated rerun vs SIA run (same SMB, same saves)',
    '',
    'Over cells with ice in either run; e = |(Δubar, Δvbar)|.',
    '',
    '| t (a) | ice cells | SIA mean speed (m/a) | vel L1 (m/a) | vel L2 (m/a) | vel max (m/a) | speed corr | thk L1 (m) | thk L2 (m) | thk max (m) | vol SIA (km³) | vol emulated (km³) | Δvol |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...r.errors.map((e) => `| ${e.t} | ${e.iceCells} | ${f(e.refSpeed)} | ${f(e.velL1)} | ${f(e.velL2)} | ${f(e.velMax)} | ${f(e.speedCorr, 3)} | ${f(e.thkL1)} | ${f(e.thkL2)} | ${f(e.thkMax, 1)} | ${f(e.volA, 4)} | ${f(e.volB, 4)} | ${f(100 * e.volRel, 1)} % |`),
    '',
    `Mean over saves with ice: vel L1 ${f(mean(withIce.map((e) => e.velL1)))} m/a, vel L2 ${f(mean(withIce.map((e) => e.velL2)))} m/a (SIA mean speed ${f(mean(withIce.map((e) => e.refSpeed)))} m/a); at t = ${last.t} a: thk L1 ${f(last.thkL1)} m, volume ${f(100 * last.volRel, 1)} %.`,
    '',
    '## Diagnostic run (emulator on the SIA state at each save)',
    '',
    '| t (a) | ice cells | L1 (m/a) | L2 (m/a) | max (m/a) | SIA ms | emulator ms |',
    '|---|---|---|---|---|---|---|',
    ...r.diagnosticRows.map((d) => `| ${d.t_a} | ${d.ice_cells} | ${f(d.l1_m_a)} | ${f(d.l2_m_a)} | ${f(d.max_m_a)} | ${f(d.sia_ms, 3)} | ${f(d.emulator_ms, 3)} |`),
    '',
    `Mean over saves with ice: L1 ${f(mean(diag.map((d) => d.l1_m_a)))} m/a, L2 ${f(mean(diag.map((d) => d.l2_m_a)))} m/a; median one SIA update ${f(median(diag.map((d) => d.sia_ms)), 3)} ms, one emulator pass ${f(median(diag.map((d) => d.emulator_ms)), 3)} ms.`,
    '',
    '## Cost',
    '',
    '| run | steps | iceflow ms/step | run wall (s) | final volume (km³) |',
    '|---|---|---|---|---|',
    ...(['sia', 'emulated', 'diagnostic'] as const).map((k) => `| ${k} | ${r[k].steps} | ${f(r[k].iceflowMsPerStep, 3)} | ${f(r[k].seconds, 2)} | ${f(r[k].volume, 4)} |`),
    '',
    `Ice-flow step speed-up (SIA ms / emulator ms): ${f(r.sia.iceflowMsPerStep / r.emulated.iceflowMsPerStep, 3)}×; whole run: ${f(r.sia.seconds / r.emulated.seconds, 3)}× (values < 1 mean the emulated run is slower).`,
    '',
  ];
  return lines.join('\n');
}
