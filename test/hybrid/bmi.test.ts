// BMI: stepping a trained model day by day with update() gives the same
// streamflow as the whole-period run (rel 1e-5: float64 stepping vs float32
// TF routing); time functions, variables and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { train, evaluate } from '../../src/hybrid/train/trainer.js';
import { loadConfig } from '../../src/hybrid/train/config.js';
import { DeltaHbvBmi } from '../../src/hybrid/bmi.js';
import { isNunatakError } from '../../src/core/errors.js';

for (const warmUpStates of [true, false]) {
  test(`BMI stepwise == whole-period run (warm_up_states ${warmUpStates})`, async () => {
    const root = mkdtempSync(join(tmpdir(), 'nk-bmi-'));
    const cfgFile = join(root, 'model.yaml');
    writeFileSync(cfgFile, stringify({
      seed: 3, save_path: 'run', backend: 'cpu',
      data: { path: resolve('data/camels_us'), basins: ['01547700', '03015500'], attributes: ['p_mean'] },
      model: { rho: 30, warm_up: 20, warm_up_states: warmUpStates, phy: { model: 'hbv1.1p', nmul: 2, dynamic_params: ['BETA'] }, nn: { model: 'lstm', hidden: 5, dropout: 0 } },
      train: { start: '2001-01-01', end: '2001-03-31', epochs: 1, batch_size: 2, iterations: 1, optimizer: 'adam', learning_rate: 0.01 },
      simulation: { start: '2001-04-01', end: '2001-05-15' },
    }));
    const cfg = loadConfig(cfgFile);
    await train(cfg);
    const whole = await evaluate(cfg, 'simulation');
    const bmiFile = join(root, 'bmi.yaml');
    writeFileSync(bmiFile, stringify({ config: 'model.yaml', start: '2001-04-01', end: '2001-05-15' }));
    const bmi = new DeltaHbvBmi();
    await bmi.initialize(bmiFile);
    assert.equal(bmi.getEndTime(), whole.dates.length * 86400);
    assert.deepEqual(bmi.getOutputVarNames(), ['land_surface_water__runoff_depth_rate', 'land_surface_water__runoff_volume_flux']);
    assert.equal(bmi.getVarUnits('land_surface_water__runoff_volume_flux'), 'm3 s-1');
    assert.equal(bmi.getTimeStep(), 86400);
    const nb = 2;
    let worst = 0, qmax = 0;
    for (let t = 0; t < whole.dates.length; t++) {
      if (t === 10) bmi.updateUntil(bmi.getCurrentTime() + 86400);
      else bmi.update();
      const q = bmi.getValue('land_surface_water__runoff_depth_rate');
      for (let b = 0; b < nb; b++) {
        qmax = Math.max(qmax, Math.abs(whole.sim[t * nb + b]));
        worst = Math.max(worst, Math.abs(q[b] - whole.sim[t * nb + b]));
      }
    }
    assert.ok(qmax > 0);
    assert.ok(worst <= 1e-5 * qmax + 1e-7, `max |stepwise − whole| = ${worst} (max Q ${qmax})`);
    assert.equal(bmi.getCurrentTime(), bmi.getEndTime());
    assert.throws(() => bmi.update(), (e) => isNunatakError(e, 'INPUT'));
    assert.throws(() => bmi.getValue('streamflow'), (e) => isNunatakError(e, 'NOT_FOUND'));
    assert.throws(() => bmi.setValue('land_surface_water__runoff_depth_rate', [1, 1]), (e) => isNunatakError(e, 'INPUT'));
    bmi.finalize();
    // set_value: a 200 mm/d storm on the first step raises the routed runoff of that basin only
    const b2 = new DeltaHbvBmi();
    await b2.initialize(bmiFile);
    assert.throws(() => b2.setValue('atmosphere_water__liquid_equivalent_precipitation_rate', [-1, 0]), (e) => isNunatakError(e, 'INPUT'));
    b2.setValue('atmosphere_water__liquid_equivalent_precipitation_rate', [200, b2.getValue('atmosphere_water__liquid_equivalent_precipitation_rate')[1]]);
    assert.equal(b2.getValue('atmosphere_water__liquid_equivalent_precipitation_rate')[0], 200);
    b2.update();
    const q = b2.getValue('land_surface_water__runoff_depth_rate');
    assert.ok(q[0] > whole.sim[0] + 1e-3, `storm runoff ${q[0]} vs ${whole.sim[0]}`);
    assert.ok(Math.abs(q[1] - whole.sim[1]) <= 1e-5 * qmax + 1e-7);
    rmSync(root, { recursive: true, force: true });
  });
}

test('BMI: bad config keys are reported', async () => {
  const root = mkdtempSync(join(tmpdir(), 'nk-bmi2-'));
  writeFileSync(join(root, 'bmi.yaml'), 'config: model.yaml\nstrat: 2001-01-01\nend: 2001-02-01\n');
  const bmi = new DeltaHbvBmi();
  await assert.rejects(bmi.initialize(join(root, 'bmi.yaml')), (e) => isNunatakError(e, 'CONFIG') && /unknown key 'strat'.*start/.test(e.message));
  rmSync(root, { recursive: true, force: true });
});
