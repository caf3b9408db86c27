import type { Queue } from 'bullmq';
import type { JobName } from './queues.js';

/**
 * Makes sure a job exists for work that PostgreSQL says is due (sweepers): adds it when Redis lost it,
 * retries it when it failed for good, and leaves it alone when it is waiting, delayed or running.
 */
export async function ensureJob(
  queue: Queue,
  name: JobName,
  id: string,
  data: Record<string, unknown>,
): Promise<'added' | 'retried' | 'present'> {
  const existing = await queue.getJob(id);
  if (!existing) {
    await queue.add(name, data, { jobId: id });
    return 'added';
  }
  const state = await existing.getState();
  if (state === 'failed') {
    await existing.retry('failed');
    return 'retried';
  }
  if (state === 'completed') {
    // The job finished but the state still needs work (e.g. retention removed nothing yet, or the
    // data changed since): run a fresh one under a derived id.
    await queue.add(name, data, { jobId: `${id}.r${Date.now()}` });
    return 'added';
  }
  return 'present';
}
