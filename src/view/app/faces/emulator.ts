/** Emulator face (what a finished `emulator train` wrote): learning curves, per-case prediction scores, TRUE | PREDICTED and difference maps. */
import type { EmulatorFace, TableBody } from '../../face-protocol.js';
import { getJson, idPath } from '../api.js';
import { el, linePlot, panel, record, table } from './panels.js';

export async function showEmulator(host: HTMLElement, face: EmulatorFace): Promise<void> {
  const h = await getJson<TableBody>(`/api/table/${idPath(face.history)}`);
  const col = (n: string) => (h.columns.includes(n) ? (h.values[h.columns.indexOf(n)] as Array<number | null>) : undefined);
  // train-history.csv counts epochs from 0 (Keras CSVLogger); the page shows 1-based epochs like the learning-curve PNG
  const x = (col('epoch') ?? []).map((e) => (e ?? 0) + 1);
  const series = [{ label: 'train loss', y: col('loss') ?? [] }];
  const val = col('val_loss');
  if (val?.some((v) => v !== null)) series.push({ label: 'validation loss', y: val });
  const p = panel(host, 'learning', `${face.label}: learning curves`);
  linePlot(p, 'learning', { x, xLabel: 'epoch', yLabel: 'loss (scaled)', series, logY: series.every((s) => s.y.every((v) => v === null || v > 0)) });
  if (face.scores) {
    const s = await getJson<TableBody>(`/api/table/${idPath(face.scores)}`);
    table(panel(host, 'scores', 'prediction scores per test case and frame'), 'scores', s.columns, s.values[0].map((_, r) => s.values.map((c) => String(c[r] ?? ''))));
  }
  if (face.images.length > 0) {
    const ip = panel(host, 'predictions', 'TRUE | PREDICTED and PREDICTED − TRUE (output magnitude)');
    for (const im of face.images) {
      const fig = el('figure');
      const img = el('img');
      img.src = `/api/image/${idPath(im.id)}`;
      img.alt = im.label;
      fig.append(img, el('figcaption', im.label));
      ip.append(fig);
    }
  }
  record.draws++;
}
