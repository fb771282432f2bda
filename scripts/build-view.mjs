// Bundles the `nunatak view` page (src/view/app) with esbuild into build/view/:
// index.html, app.js (with uPlot and proj4 inside: no CDN, works offline) and
// app.css (ours + uPlot's); live.html + live.js: the page of a run started with --view. Run by `npm run build:kernels` (the README's set-up
// command) and so by `npm test` and `npm pack`; takes well under a second.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const APP = 'src/view/app';
const OUT = 'build/view';
mkdirSync(OUT, { recursive: true });
await build({
  entryPoints: { app: `${APP}/main.ts`, live: `${APP}/live.ts` },
  outdir: OUT,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
});
copyFileSync(`${APP}/index.html`, `${OUT}/index.html`);
copyFileSync(`${APP}/live.html`, `${OUT}/live.html`);
const uplotCss = readFileSync(createRequire(import.meta.url).resolve('uplot/dist/uPlot.min.css'), 'utf8');
writeFileSync(`${OUT}/app.css`, readFileSync(`${APP}/app.css`, 'utf8') + '\n' + uplotCss);
console.log(`built ${OUT}/ (app.js, app.css, index.html, live.js, live.html)`);
