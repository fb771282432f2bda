/**
 * The per-face views: the "Views" list in the side bar (one entry per face
 * folder the server found) and the #face area that replaces the single-file
 * view while a face is open.
 */
import type { Face } from '../../face-protocol.js';
import { getJson } from '../api.js';
import { markOn } from '../sidebar.js';
import { showEmulator } from './emulator.js';
import { showHybrid } from './hybrid.js';
import { showModels } from './models.js';
import { record } from './panels.js';
import { showSim } from './sim.js';

const TITLE: Record<Face['kind'], string> = { sim: 'sim run', models: 'models', hybrid: 'hybrid', emulator: 'emulator training' };

/** Close the face view (a file was picked). */
export function closeFace(): void {
  document.querySelector('main')?.classList.remove('face-on');
  document.getElementById('face')?.replaceChildren();
  document.getElementById('faces')?.querySelectorAll('li.on').forEach((x) => x.classList.remove('on'));
}

async function openFace(face: Face, li: Element, onError: (e: unknown) => void): Promise<void> {
  document.getElementById('files')?.querySelectorAll('li.on').forEach((x) => x.classList.remove('on'));
  markOn(li);
  const host = document.getElementById('face')!;
  host.replaceChildren();
  document.querySelector('main')!.classList.add('face-on');
  (window as unknown as { __view: { face?: typeof record } }).__view.face = record;
  record.kind = face.kind;
  record.draws = 0;
  record.plots = {};
  record.tables = {};
  try {
    if (face.kind === 'sim') await showSim(host, face);
    else if (face.kind === 'models') await showModels(host, face);
    else if (face.kind === 'hybrid') await showHybrid(host, face);
    else await showEmulator(host, face);
  } catch (e) {
    onError(e);
  }
}

/** Fill the Views list; opens the first face when there is one. Returns the faces found. */
export async function loadFaces(onError: (e: unknown) => void): Promise<Face[]> {
  const faces = await getJson<Face[]>('/api/faces');
  const list = document.getElementById('faces')!;
  list.replaceChildren(
    ...faces.map((f) => {
      const li = document.createElement('li');
      li.dataset.face = f.kind;
      li.textContent = `${TITLE[f.kind]} `;
      const s = document.createElement('small');
      s.textContent = f.label;
      li.append(s);
      li.addEventListener('click', () => void openFace(f, li, onError));
      return li;
    }),
  );
  list.parentElement!.hidden = faces.length === 0;
  if (faces.length > 0) await openFace(faces[0], list.firstElementChild!, onError);
  return faces;
}
