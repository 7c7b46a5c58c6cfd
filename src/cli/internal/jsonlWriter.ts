/**
 * The output side of a `--jsonl` run: output lines are queued into one buffer and written
 * together, with back-pressure; once the output fails or goes away the writer says so and
 * writes nothing more.
 *
 * Lines are written one `write` per batch rather than per line, UTF-8 encoded straight into a
 * fresh 64 KiB buffer: per-line writes pay a system call and a small buffer each, and one large
 * string would pay for an extra copy. A batch holds at most `BATCH_LINES` lines so that a slow
 * reader still paces the reading.
 *
 * @example
 * const writer = jsonlWriter(process.stdout)
 * await writer.emit('{"a":1}') && (await writer.flush())
 * writer.close()
 */
import type { Writable } from "node:stream"

const BATCH_LINES = 32
const BATCH_BYTES = 64 * 1024
/** A UTF-16 code unit takes at most 3 bytes in UTF-8. */
const MAX_BYTES_PER_UNIT = 3

/** The writer of a run. Every call answers false when the run must stop (the output failed or went away). */
export interface JsonlWriter {
  /** Writes bytes already encoded (a worker's answer), after waiting for the output to drain. */
  readonly send: (chunk: Uint8Array | string) => Promise<boolean>
  /** Queues one output line (without its newline), writing the batch when it is full. */
  readonly emit: (json: string) => Promise<boolean>
  /** Writes what is queued. */
  readonly flush: () => Promise<boolean>
  /** Whether the output failed or went away. */
  readonly broken: () => boolean
  /** Stops listening to the output's errors. */
  readonly close: () => void
}

/** Resolves when `output` can take more data, or has failed or closed (then `false`). */
const drained = (output: Writable): Promise<boolean> =>
  new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      output.off("drain", onDrain)
      output.off("error", onEnd)
      output.off("close", onEnd)
      resolve(ok)
    }
    const onDrain = done(true)
    const onEnd = done(false)
    output.on("drain", onDrain)
    output.on("error", onEnd)
    output.on("close", onEnd)
  })

/**
 * The writer over `output`; it listens to the output's errors until {@link JsonlWriter.close}.
 *
 * @example const writer = jsonlWriter(output); await writer.send(Buffer.from("{}\n"))
 */
export const jsonlWriter = (output: Writable): JsonlWriter => {
  let broken = false
  const onOutputError = (): void => {
    broken = true
  }
  output.on("error", onOutputError)
  let batch = Buffer.allocUnsafe(BATCH_BYTES)
  let used = 0
  let batchLines = 0
  const send = async (chunk: Uint8Array | string): Promise<boolean> => {
    if (broken || output.destroyed) return false
    if (!output.write(chunk) && !(await drained(output))) {
      broken = true
      return false
    }
    return true
  }
  const flush = async (): Promise<boolean> => {
    if (used === 0) return !(broken || output.destroyed)
    const chunk = batch.subarray(0, used)
    batch = Buffer.allocUnsafe(BATCH_BYTES)
    used = 0
    batchLines = 0
    return send(chunk)
  }
  const emit = async (json: string): Promise<boolean> => {
    const room = MAX_BYTES_PER_UNIT * json.length + 1
    if (used + room > BATCH_BYTES && !(await flush())) return false
    if (room > BATCH_BYTES) return send(`${json}\n`)
    used += batch.write(json, used)
    batch[used++] = 0x0a
    batchLines++
    return batchLines < BATCH_LINES || flush()
  }
  return { send, emit, flush, broken: () => broken, close: () => void output.off("error", onOutputError) }
}
