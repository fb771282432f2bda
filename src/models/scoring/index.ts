/** Forecast scoring: lat-weighted RMSE / ACC, fair CRPS, ensemble spread, mergeable per-sample rows. */
export { rowWeights } from './weights.js';
export { fairCrps } from './crps.js';
export { ScoreAccumulator, SCORE_NAMES, type ScoreRow, type Scores } from './stats.js';
