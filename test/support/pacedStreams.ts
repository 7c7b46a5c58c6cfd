/**
 * A reader of `total` lines and a slow writer that records how far the reader is pulled ahead of
 * it (lines read minus lines written): what the streaming runners' back-pressure tests bound.
 */
import { Readable, Writable } from "node:stream"

export interface Pacing {
  /** Both streams' buffer size, in bytes. */
  readonly highWaterMark: number
  /** How long the writer takes over each chunk, in ms. */
  readonly delayMs: number
}

/** @example const paced = pacedStreams(1500, (i) => `${i}\n`, { highWaterMark: 1024, delayMs: 2 }) */
export const pacedStreams = (total: number, lineAt: (i: number) => string, pacing: Pacing) => {
  let pulled = 0
  let linesOut = 0
  let mostAhead = 0
  const input = new Readable({
    highWaterMark: pacing.highWaterMark,
    read() {
      if (pulled >= total) return void this.push(null)
      this.push(lineAt(pulled++))
    }
  })
  const got: Array<Buffer> = []
  const sink = new Writable({
    highWaterMark: pacing.highWaterMark,
    write(chunk: Buffer, _enc, done) {
      got.push(chunk)
      for (const byte of chunk) if (byte === 0x0a) linesOut++
      mostAhead = Math.max(mostAhead, pulled - linesOut)
      setTimeout(done, pacing.delayMs)
    }
  })
  return { input, sink, bytes: () => Buffer.concat(got), mostAhead: () => mostAhead }
}
