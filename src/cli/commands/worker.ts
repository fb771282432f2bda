/** `nunatak worker --redis URL`: run distributed-executor tasks from a Redis queue. */
import type { Command } from 'commander';
import { WORKER_DEFAULTS as D } from '../../exec/worker-defaults.js';
import { NunatakError } from '../../core/errors.js';

/** A whole number ≥ `min` from option `flag`, or a CONFIG error naming the flag and the value. */
export function intOption(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min) {
    throw new NunatakError('CONFIG', `${flag} '${value}' is not a whole number ≥ ${min}`, { hint: `e.g. ${flag} ${Math.max(min, 1)}` });
  }
  return n;
}

export function register(program: Command): void {
  program
    .command('worker')
    .description('process distributed tasks (UDF partitions, ensemble members) from a Redis queue')
    .requiredOption('--redis <url>', 'Redis URL, e.g. redis://host:6379')
    .option('--queue <name>', 'queue name', 'nunatak-tasks')
    .option('--concurrency <n>', 'tasks at once in this process', String(D.concurrency))
    .option('--lock-duration <ms>', "job lock duration; a dead worker's task is retried once it lapses", String(D.lockDuration))
    .option('--stalled-interval <ms>', 'how often to look for tasks of dead workers', String(D.stalledInterval))
    .addHelpText('after', '\nExample:\n  nunatak worker --redis redis://localhost:6379 --concurrency 2\n')
    .option('--max-stalled-count <n>', 'times one task may be recovered from dead workers before it fails', String(D.maxStalledCount))
    .action(async (o: { redis: string; queue: string; concurrency: string; lockDuration: string; stalledInterval: string; maxStalledCount: string }) => {
      // checked before connecting: BullMQ would throw a stack trace or hang on these
      if (o.queue.trim() === '' || o.queue.includes(':')) throw new NunatakError('CONFIG', `--queue '${o.queue}' is not a queue name`, { hint: "a non-empty name without ':' (default: nunatak-tasks), the same the client uses" });
      const opts = {
        url: o.redis,
        queue: o.queue,
        concurrency: intOption('--concurrency', o.concurrency, 1),
        lockDuration: intOption('--lock-duration', o.lockDuration, 1),
        stalledInterval: intOption('--stalled-interval', o.stalledInterval, 1),
        maxStalledCount: intOption('--max-stalled-count', o.maxStalledCount, 0),
      };
      const { startWorker } = await import('../../exec/worker-process.js');
      const w = await startWorker(opts);
      const stop = () => void w.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
