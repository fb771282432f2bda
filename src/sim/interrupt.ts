/**
 * Ctrl-C during a run: the first SIGINT (or SIGTERM) asks the loop to stop at
 * the end of the step it is in, so every output file stays complete and the
 * engine can say what was saved and how to continue; a second one exits at
 * once (status 130). The loop's modules are mostly synchronous, so the
 * watcher yields to the event loop now and then (every 50 ms) to let the
 * signal handler run.
 */
export interface InterruptWatch {
  /** Yields now and then; throws `make()` once a signal has arrived. */
  check(make: () => Error): Promise<void>;
  /** Removes the handlers. */
  stop(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function watchInterrupt(): InterruptWatch {
  let signalled = false;
  let last = performance.now();
  const onSignal = (): void => {
    if (signalled) process.exit(130);
    signalled = true;
    process.stderr.write('\nstopping at the end of this step (press Ctrl-C again to quit at once)…\n');
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return {
    async check(make) {
      if (performance.now() - last > 50) {
        await new Promise((r) => setImmediate(r));
        last = performance.now();
      }
      if (signalled) throw make();
    },
    stop() {
      for (const s of SIGNALS) process.off(s, onSignal);
    },
  };
}
