/** `nunatak worker --redis URL`: run distributed-executor tasks from a Redis queue. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('worker')
    .description('process distributed tasks (UDF partitions, ensemble members) from a Redis queue')
    .requiredOption('--redis <url>', 'Redis URL, e.g. redis://host:6379')
    .option('--queue <name>', 'queue name', 'nunatak-tasks')
    .option('--concurrency <n>', 'tasks at once in this process', '1')
    .option('--lock-duration <ms>', 'job lock duration; a dead worker\'s task is retried after this', '30000')
    .option('--stalled-interval <ms>', 'how often to look for tasks of dead workers', '30000')
    .action(async (o: { redis: string; queue: string; concurrency: string; lockDuration: string; stalledInterval: string }) => {
      const { startWorker } = await import('../../exec/worker-process.js');
      const w = await startWorker({
        url: o.redis,
        queue: o.queue,
        concurrency: Number(o.concurrency),
        lockDuration: Number(o.lockDuration),
        stalledInterval: Number(o.stalledInterval),
      });
      const stop = () => void w.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
