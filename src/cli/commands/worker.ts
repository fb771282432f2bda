/** `nunatak worker --redis URL`: run distributed-executor tasks from a Redis queue. */
import type { Command } from 'commander';
import { WORKER_DEFAULTS as D } from '../../exec/worker-defaults.js';

export function register(program: Command): void {
  program
    .command('worker')
    .description('process distributed tasks (UDF partitions, ensemble members) from a Redis queue')
    .requiredOption('--redis <url>', 'Redis URL, e.g. redis://host:6379')
    .option('--queue <name>', 'queue name', 'nunatak-tasks')
    .option('--concurrency <n>', 'tasks at once in this process', String(D.concurrency))
    .option('--lock-duration <ms>', "job lock duration; a dead worker's task is retried once it lapses", String(D.lockDuration))
    .option('--stalled-interval <ms>', 'how often to look for tasks of dead workers', String(D.stalledInterval))
    .option('--max-stalled-count <n>', 'times one task may be recovered from dead workers before it fails', String(D.maxStalledCount))
    .action(async (o: { redis: string; queue: string; concurrency: string; lockDuration: string; stalledInterval: string; maxStalledCount: string }) => {
      const { startWorker } = await import('../../exec/worker-process.js');
      const w = await startWorker({
        url: o.redis,
        queue: o.queue,
        concurrency: Number(o.concurrency),
        lockDuration: Number(o.lockDuration),
        stalledInterval: Number(o.stalledInterval),
        maxStalledCount: Number(o.maxStalledCount),
      });
      const stop = () => void w.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
