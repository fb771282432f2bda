/**
 * `emulator train --view`: run training with the live viewer beside it
 * (serving the results folder too) and its epochs published as they finish.
 */
import { mkdirSync } from 'node:fs';
import type { EmulatorOptions } from '../../emulator/options.js';
import type { RunHooks, RunResult } from '../../emulator/run.js';
import { publishTraining } from './emulator.js';
import { openLiveView, type LiveViewFlags } from './session.js';

/** Run `run(o)`; with flags.view, live. `hold` keeps the viewer up until Ctrl-C (a no-op without --view). */
export async function trainWithView(
  o: EmulatorOptions,
  flags: LiveViewFlags,
  run: (o: EmulatorOptions, hooks: RunHooks) => Promise<RunResult>,
): Promise<{ result: RunResult; hold: () => Promise<void> }> {
  if (!flags.view) return { result: await run(o, {}), hold: async () => undefined };
  mkdirSync(o.results_dir, { recursive: true }); // served while training writes into it
  const live = (await openLiveView(flags, [o.results_dir], 'emulator training'))!;
  const pub = publishTraining(live.hub, `emulator ${o.network} ${o.maptype} on ${o.dataset}`, o.epochs);
  try {
    const result = await run(o, { onEpoch: (row) => pub.onEpoch(row), onEpochSample: (sm) => pub.sample(sm) });
    pub.finish(result.fit);
    return { result, hold: () => live.hold() };
  } catch (e) {
    pub.fail(e);
    await live.server.close();
    throw e;
  }
}
