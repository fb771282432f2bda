/** Plots: PNG maps of fields and SVG/PNG line charts, rendered with resvg. */
export { renderMap, type MapOptions, type MapContour, type MapLayout, type MapResult } from './map.js';
export { renderChart, PALETTE, type ChartOptions, type ChartSeries, type ChartLayout, type ChartResult } from './chart.js';
export { getColormap, colormapNames, colorAt, rgbHex, type Colormap, type Rgb } from './colormap.js';
export { hillshade, type HillshadeOptions } from './hillshade.js';
export { contourSegments, type Segment } from './contour.js';
export { normalize, niceTicks, logTicks, formatTick, type ScaleKind } from './scale.js';
export { svgToPng, encodePng } from './svg.js';
