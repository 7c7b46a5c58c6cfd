/**
 * The one worker pool (src/internal/workerPool.ts) and the in-order answers (src/internal/inOrder.ts)
 * both parallel commands use: answers are written in submission order although uneven jobs finish
 * out of order; jobs go to the least busy worker; the answers in flight stay within the caller's
 * bound; a worker that dies rejects every job out and later (an error, not a hang), and the
 * answers before its job are still written; closing rejects what is pending, and what is submitted
 * after.
 */
import { describe, expect, it } from "vitest"
import { type InOrder, inOrder } from "../../src/internal/inOrder.ts"
import { startWorkerPool, type WorkerPool } from "../../src/internal/workerPool.ts"
import type { CountingAnswer, CountingJob } from "./countingWorker.ts"

const start = (size: number): WorkerPool<CountingJob, CountingAnswer> =>
  startWorkerPool<{ readonly label: string }, CountingJob, CountingAnswer>({
    size, poolUrl: import.meta.url, worker: "countingWorker", label: "counting worker", setup: { label: "test" }, heap: { maxOldGenerationSizeMb: 64 }
  })

const numberOf = (answer: CountingAnswer): number => Number(Buffer.from(answer.bytes).toString("utf8"))

/** Runs `body` on a started pool of `size` workers, with answers written (as numbers) to `written`; closes the pool after. */
const withPool = async (
  size: number, body: (pool: WorkerPool<CountingJob, CountingAnswer>, answers: InOrder<CountingAnswer>, written: Array<number>) => Promise<void>
): Promise<void> => {
  const pool = start(size)
  try {
    await pool.ready
    const written: Array<number> = []
    await body(pool, inOrder((answer: CountingAnswer) => written.push(numberOf(answer)) > 0), written)
  } finally {
    await pool.close()
  }
}

describe("the worker pool: answers in order, spread and bounded", () => {
  it("writes answers in submission order when uneven jobs finish out of order, spread over the workers, each under its heap cap", async () => {
    const pool = start(2)
    try {
      await pool.ready
      expect(pool.isReady()).toBe(true)
      const finished: Array<number> = []
      const written: Array<number> = []
      const threads = new Set<number>()
      const answers = inOrder((answer: CountingAnswer) => {
        written.push(numberOf(answer))
        threads.add(answer.thread)
        expect(answer.heapMb).toBe(64)
        return true
      })
      for (let n = 0; n < 12; n++) {
        const answer = pool.submit({ n, costMs: n % 4 === 0 ? 120 : 2 })
        void answer.then((a) => finished.push(numberOf(a)))
        answers.awaiting(answer)
      }
      expect(pool.pending()).toBe(12)
      expect(pool.leastPending()).toBe(6)
      expect(await answers.writeAbove(0)).toBe(true)
      expect(written).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
      expect(finished).not.toEqual(written)
      expect(threads.size).toBe(2)
      expect(pool.pending()).toBe(0)
    } finally {
      await pool.close()
    }
  })

  it("keeps the answers in flight within the bound the caller writes down to, answers here and a worker's mixed", () =>
    withPool(1, async (pool, answers, written) => {
      const bound = 3
      for (let n = 0; n < 20; n++) {
        expect(await answers.writeAbove(bound - 1)).toBe(true)
        if (pool.leastPending() < 1) answers.awaiting(pool.submit({ n, costMs: 5 }))
        else answers.answered({ bytes: Buffer.from(String(n)), thread: -1, heapMb: undefined })
        expect(answers.size()).toBeLessThanOrEqual(bound)
        expect(await answers.writeAnswered()).toBe(true)
      }
      expect(await answers.writeAbove(0)).toBe(true)
      expect(answers.peak()).toBe(bound)
      expect(written).toEqual(Array.from({ length: 20 }, (_, n) => n))
    }))
})

describe("the worker pool: a dying or closing pool", () => {
  it("fails the run with a clear error, not a hang, when a worker dies: jobs out and later reject, the answers before are written", () =>
    withPool(2, async (pool, answers, written) => {
      const first = pool.submit({ n: 0, costMs: 0 })
      answers.awaiting(first)
      await first
      answers.awaiting(pool.submit({ n: 1, costMs: 0, exit: 3 }))
      const slow = pool.submit({ n: 2, costMs: 2_000 })
      answers.awaiting(slow)
      expect(await answers.writeAbove(0)).toBe(false)
      expect(written).toEqual([0])
      expect(answers.failure()).toBe("a counting worker exited unexpectedly (code 3)")
      await expect(slow).rejects.toThrow("exited unexpectedly (code 3)")
      await expect(pool.submit({ n: 3, costMs: 0 })).rejects.toThrow("exited unexpectedly (code 3)")
      expect(pool.failure()?.message).toBe("a counting worker exited unexpectedly (code 3)")
    }), 10_000)

  it("refuses a job submitted while the pool closes or after it closed, at once, not a hang", async () => {
    const pool = start(1)
    await pool.ready
    const closing = pool.close()
    await expect(pool.submit({ n: 0, costMs: 0 })).rejects.toThrow("the counting worker pool was closed")
    await closing
    await expect(pool.submit({ n: 1, costMs: 0 })).rejects.toThrow("the counting worker pool was closed")
    expect(pool.pending()).toBe(0)
  }, 5_000)

  it("rejects readiness when a worker dies starting, and closing rejects what is pending", async () => {
    const pool = start(1)
    await pool.ready
    const rejected = expect(pool.submit({ n: 0, costMs: 1_000 })).rejects.toThrow("the counting worker pool was closed")
    await pool.close()
    await rejected
    const broken = startWorkerPool<{ readonly label: string }, CountingJob, CountingAnswer>({
      size: 1, poolUrl: import.meta.url, worker: "noSuchWorker", label: "counting worker", setup: { label: "test" }
    })
    try {
      await expect(broken.ready).rejects.toThrow()
      expect(broken.isReady()).toBe(false)
    } finally {
      await broken.close()
    }
  }, 10_000)
})
