// Regenerates docs/img/hef_dem_map.png and docs/img/chart_example.png from the
// Hintereisferner sample data: npx tsx examples/io-figures/make-figures.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { glacierDomain, readGeoTiff, readOutline, rasterizeOutline, reprojectToGrid } from '../../src/io/geo/index.js';
import { renderChart, renderMap } from '../../src/io/plot/index.js';

const HEF = 'data/hintereisferner';
const dem = reprojectToGrid((await readGeoTiff(`${HEF}/hef_srtm.tif`)).field, 'EPSG:32632', 100);
dem.longName = 'surface elevation';
const mask = rasterizeOutline(await readOutline(`${HEF}/Hintereisferner_RGI6.shp`), dem.grid);
const map = renderMap({
  field: dem,
  title: 'Hintereisferner: SRTM DEM on a 100 m UTM 32N grid',
  colormap: 'terrain',
  hillshade: true,
  contours: [{ field: mask, levels: [0.5], color: '#c00000', width: 2, label: 'RGI6 outline (100 m mask)' }],
});
writeFileSync('docs/img/hef_dem_map.png', map.png);

// The model domain the sim face starts from: 50 m grid, outline + 1.5 km.
const dom = await glacierDomain({ dem: `${HEF}/hef_srtm.tif`, outline: `${HEF}/Hintereisferner_RGI6.shp`, crs: 'EPSG:32632', dx: 50, margin: 1500 });
const domMap = renderMap({
  field: dom.usurf,
  title: 'Hintereisferner model domain: 50 m UTM 32N',
  colormap: 'terrain',
  hillshade: true,
  contours: [{ field: dom.icemask, levels: [0.5], color: '#c00000', width: 2, label: 'ice mask (RGI6, cell centres)' }],
});
writeFileSync('docs/img/hef_domain_map.png', domMap.png);

// WGMS glacier-wide mass balance, mm w.e. → m w.e. a⁻¹.
const rows = readFileSync(`${HEF}/mbdata_WGMS-00491.csv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
const num = (s: string) => (s === '' ? NaN : Number(s) / 1000);
const year = rows.map((r) => Number(r[0]));
const annual = rows.map((r) => num(r[7]));
// Centred 11-year running mean (NaN where the window is incomplete).
const smooth = annual.map((_, k) => (k < 5 || k + 5 >= annual.length ? NaN : annual.slice(k - 5, k + 6).reduce((a, b) => a + b, 0) / 11));
const chart = renderChart({
  title: 'Hintereisferner mass balance (WGMS)',
  xLabel: 'year',
  xUnits: 'a',
  yLabel: 'glacier-wide mass balance',
  yUnits: 'm w.e. a⁻¹',
  series: [
    { name: 'annual balance', x: year, y: annual, markers: true },
    { name: '11-year running mean', x: year, y: smooth, dashed: true },
    { name: 'zero balance', x: [year[0], year[year.length - 1]], y: [0, 0], color: '#777' },
  ],
});
writeFileSync('docs/img/chart_example.png', chart.png);
writeFileSync('docs/img/chart_example.svg', chart.svg);
console.log('wrote docs/img/hef_dem_map.png, hef_domain_map.png, chart_example.{png,svg}');
