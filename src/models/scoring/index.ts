/** Forecast scoring: lat-weighted RMSE / ACC, fair and standard CRPS, ensemble spread, spread–skill, rank histograms, mergeable per-sample rows. */
export { rowWeights } from './weights.js';
export { fairCrps, standardCrps, observationRank } from './crps.js';
export { ScoreAccumulator, SCORE_NAMES, type ScoreName, type ScoreRow, type Scores } from './stats.js';
