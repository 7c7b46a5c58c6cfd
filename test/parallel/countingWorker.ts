/**
 * A worker for the pool's own tests (./workerPool.test.ts): a job `{ n, costMs, exit }` spins
 * for `costMs`, then answers `n` (as bytes), which worker answered and its heap cap; a job with
 * `exit` ends the thread with that code instead, as a crash would.
 */
import { resourceLimits, threadId } from "node:worker_threads"
import { ownedBytes, serveJobs } from "../../src/internal/workerPool.ts"

/** One job: its number, how long it runs, and an exit code to die with instead. */
export interface CountingJob {
  readonly n: number
  readonly costMs: number
  readonly exit?: number
}

/** The answer: the job's number as bytes, the worker's thread, the worker's heap cap (MB). */
export interface CountingAnswer {
  readonly bytes: Uint8Array
  readonly thread: number
  readonly heapMb: number | undefined
}

const spin = (ms: number): void => {
  const until = Date.now() + ms
  while (Date.now() < until) {
    // Busy on purpose: the job's cost is CPU, as a batch's is.
  }
}

serveJobs((_setup: { readonly label: string }) => (job: CountingJob): CountingAnswer => {
  if (job.exit !== undefined) process.exit(job.exit)
  spin(job.costMs)
  return { bytes: ownedBytes(String(job.n)), thread: threadId, heapMb: resourceLimits.maxOldGenerationSizeMb }
}, "the counting worker")
