/**
 * Timing of a synchronous function in a hot loop: warm up, calibrate the batch size, then time
 * several rounds and keep the median (the machine may be shared: the spread is reported too).
 */

/** The result of {@link timeLoop}. */
export interface LoopTiming {
  /** Calls per second at the median round. */
  readonly perSecond: number
  /** µs per call: median, fastest and slowest round. */
  readonly medianUs: number
  readonly minUs: number
  readonly maxUs: number
  readonly rounds: number
  readonly callsPerRound: number
}

/** How long to warm up and measure. */
export interface LoopOptions {
  readonly warmupMs: number
  readonly roundMs: number
  readonly rounds: number
}

/** Anything the loop computes goes here, so that the work cannot be optimised away. */
export let sink = 0

const now = (): number => Number(process.hrtime.bigint()) / 1e6

const median = (xs: ReadonlyArray<number>): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const hi = sorted[mid] ?? 0
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] ?? hi) + hi) / 2
}

const warmUp = (fn: (i: number) => number, warmupMs: number): { readonly msPerCall: number; readonly acc: number } => {
  // Until warmupMs has passed (checked every 64 calls), and at least 256 calls.
  let acc = 0
  const start = now()
  let calls = 0
  while (calls < 256 || now() - start < warmupMs) {
    for (let k = 0; k < 64; k++) acc += fn(calls + k)
    calls += 64
  }
  return { msPerCall: (now() - start) / calls, acc }
}

const timeRound = (fn: (i: number) => number, calls: number, offset: number): { readonly us: number; readonly acc: number } => {
  let acc = 0
  const start = process.hrtime.bigint()
  for (let k = 0; k < calls; k++) acc += fn(offset + k)
  const ns = Number(process.hrtime.bigint() - start)
  return { us: ns / calls / 1000, acc }
}

const summarise = (perCallUs: ReadonlyArray<number>, callsPerRound: number): LoopTiming => {
  const medianUs = median(perCallUs)
  return { perSecond: 1e6 / medianUs, medianUs, minUs: Math.min(...perCallUs), maxUs: Math.max(...perCallUs), rounds: perCallUs.length, callsPerRound }
}

/**
 * Times several functions against each other: each `fn(i)` (i = 0, 1, 2, …; the callee picks its
 * input from i) is warmed up and calibrated to ~roundMs per round, then the rounds are
 * interleaved (round 1 of every function, round 2 of every function, …) so that a change of load
 * on a shared machine hits all of them alike. The numbers each `fn` returns go to {@link sink}.
 *
 * @example timeInterleaved([(i) => planOnce(a), (i) => planOnce(b)], { warmupMs: 1000, roundMs: 400, rounds: 7 })
 */
export const timeInterleaved = (fns: ReadonlyArray<(i: number) => number>, options: LoopOptions): Array<LoopTiming> => {
  const calls = fns.map((fn) => {
    const w = warmUp(fn, options.warmupMs)
    sink += w.acc
    return Math.max(64, Math.round(options.roundMs / Math.max(w.msPerCall, 1e-6)))
  })
  const perCallUs = fns.map((): Array<number> => [])
  for (let r = 0; r < options.rounds; r++) {
    fns.forEach((fn, f) => {
      const n = calls[f] ?? 64
      const round = timeRound(fn, n, r * n)
      sink += round.acc
      perCallUs[f]?.push(round.us)
    })
  }
  return fns.map((_, f) => summarise(perCallUs[f] ?? [], calls[f] ?? 64))
}

/** Times one function (see {@link timeInterleaved}). */
export const timeLoop = (fn: (i: number) => number, options: LoopOptions): LoopTiming => {
  const [timing] = timeInterleaved([fn], options)
  if (timing === undefined) throw new Error("no timing")
  return timing
}

/** Median of a list of numbers (0 for none). */
export const medianOf = median
