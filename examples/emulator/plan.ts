/**
 * The example's experiment plan: which SIA runs make the training and test
 * cases, how the emulator is trained, and the Hintereisferner scenario that
 * is rerun with SIA, the emulator and both side by side. `full` is the
 * documented workflow; `quick` is a small version for the test (< 60 s).
 */

/** One sim run that becomes a DLE case folder. */
export interface SimCase {
  name: string;
  /** Experiment file in examples/emulator/. */
  experiment: 'hef.yaml' | 'synthetic.yaml';
  /** `key=value` overrides (inputs.synthetic.*, processes.smb_simple.*). */
  overrides: string[];
}

export interface Plan {
  label: 'full' | 'quick';
  train: SimCase[];
  /** Held out: Hintereisferner under an SMB not used in training. */
  test: SimCase;
  /** Model years simulated for every case and rerun, and the save interval (a). */
  end: number;
  save: number;
  /** `nunatak emulator train` flags on top of train.yaml. */
  trainFlags: Record<string, string | number>;
}

const syn = (kv: Record<string, string | number>) => Object.entries(kv).map(([k, v]) => `inputs.synthetic.${k}=${v}`);
const smb = (ela: number, gradabl: number, gradacc: number, accmax: number) => [
  `processes.smb_simple.ela=${ela}`,
  `processes.smb_simple.gradabl=${gradabl}`,
  `processes.smb_simple.gradacc=${gradacc}`,
  `processes.smb_simple.accmax=${accmax}`,
];

/** Hintereisferner 1964–1990 climate (examples/hintereisferner calibration): the held-out test. */
const HEF_TEST: SimCase = { name: 'hef_1964-1990', experiment: 'hef.yaml', overrides: smb(2996.6, 0.01059, 0.00197, 0.912) };

const TRAIN_FULL: SimCase[] = [
  // Hintereisferner under a colder and a warmer climate than the test case.
  { name: 'hef_ela2900', experiment: 'hef.yaml', overrides: smb(2900, 0.011, 0.0025, 1.0) },
  { name: 'hef_ela3150', experiment: 'hef.yaml', overrides: smb(3150, 0.0094, 0.0037, 0.6) },
  // Synthetic valleys of different slope, width and depth.
  { name: 'valley_gentle', experiment: 'synthetic.yaml', overrides: [...syn({ type: 'valley', nx: 80, ny: 40, z0: 3300, slope: 0.06, width: 1500, depth: 250 }), ...smb(3000, 0.01, 0.003, 1.0)] },
  { name: 'valley_steep', experiment: 'synthetic.yaml', overrides: [...syn({ type: 'valley', nx: 64, ny: 36, z0: 3600, slope: 0.2, width: 1000, depth: 350 }), ...smb(3050, 0.012, 0.004, 1.5)] },
  { name: 'valley_wide', experiment: 'synthetic.yaml', overrides: [...syn({ type: 'valley', nx: 72, ny: 48, z0: 3400, slope: 0.12, width: 2200, depth: 200 }), ...smb(2950, 0.009, 0.002, 0.7)] },
  // Ice caps on Gaussian mountains.
  { name: 'dome_small', experiment: 'synthetic.yaml', overrides: [...syn({ type: 'dome', nx: 50, ny: 50, z0: 2400, height: 1000, radius: 1200 }), ...smb(2950, 0.01, 0.004, 1.2)] },
  { name: 'dome_large', experiment: 'synthetic.yaml', overrides: [...syn({ type: 'dome', nx: 64, ny: 64, z0: 2300, height: 1400, radius: 2000 }), ...smb(3100, 0.008, 0.002, 0.8)] },
  // An inclined plane with a mountain on it.
  { name: 'bump', experiment: 'synthetic.yaml', overrides: [...syn({ type: 'bump', nx: 72, ny: 48, z0: 3300, slope: 0.08, height: 600, radius: 1200 }), ...smb(3000, 0.01, 0.003, 1.0)] },
];

export const PLANS: Record<'full' | 'quick', Plan> = {
  full: {
    label: 'full',
    train: TRAIN_FULL,
    test: HEF_TEST,
    end: 300,
    save: 10,
    trainFlags: {},
  },
  quick: {
    label: 'quick',
    train: [TRAIN_FULL[0], TRAIN_FULL[2]],
    test: HEF_TEST,
    end: 100,
    save: 20,
    trainFlags: { nb_layers: 4, nb_out_filter: 8, epochs: 20, batch_size: 16, patience: 20, learning_rate: 0.003 },
  },
};
