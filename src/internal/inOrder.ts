/**
 * The answers of a parallel run, written in input order whoever made them: each batch's answer
 * is queued when its batch is handed out — made here already, or a worker's still to come
 * (./workerPool.ts) — and written oldest first. The caller bounds the batches in flight by
 * writing (and so waiting for) the oldest before it hands out more, so memory stays bounded
 * whatever the input length. A batch whose answer fails (its worker failed) stops the queue:
 * the answers before it are written, nothing after, and {@link InOrder.failure} says why.
 *
 * @example
 * const answers = inOrder((answer: Uint8Array) => writer.send(answer))
 * answers.awaiting(pool.submit(job))
 * answers.answered(here(job))
 * await answers.writeAbove(0)
 */

/** The queue of answers of one run. @example if (!(await answers.writeAbove(maxInFlight - 1))) return false */
export interface InOrder<Answer> {
  /** Queues an answer made here. */
  readonly answered: (answer: Answer) => void
  /** Queues an answer to come (a worker's). */
  readonly awaiting: (answer: Promise<Answer>) => void
  /** Answers queued and not yet written. */
  readonly size: () => number
  /** The most answers that were ever queued at once. */
  readonly peak: () => number
  /** Why the run stopped, if an answer failed or writing one threw. */
  readonly failure: () => string | undefined
  /** Writes the oldest answer, waiting for it; false when the run must stop. */
  readonly writeOldest: () => Promise<boolean>
  /** Writes the answers at the head that are in already, waiting for none; false when the run must stop. */
  readonly writeAnswered: () => Promise<boolean>
  /** Writes the oldest answers, waiting for them, until at most `limit` are queued; false when the run must stop. */
  readonly writeAbove: (limit: number) => Promise<boolean>
}

interface Slot<Answer> {
  readonly answer: Promise<Answer> | Answer
  settled: boolean
}

const reasonOf = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

/**
 * A queue writing each answer through `write`, which answers false when the run must stop
 * (the output is gone).
 *
 * @example const answers = inOrder((answer: { bytes: Uint8Array }) => writer.send(answer.bytes))
 */
export const inOrder = <Answer>(write: (answer: Answer) => boolean | Promise<boolean>): InOrder<Answer> => {
  const slots: Array<Slot<Answer>> = []
  let failure: string | undefined
  let going = true
  let peak = 0
  const queue = (slot: Slot<Answer>): void => {
    slots.push(slot)
    if (slots.length > peak) peak = slots.length
  }
  const writeOldest = async (): Promise<boolean> => {
    // A stopped run leaves its answers queued: taking one off first would drop it unwritten.
    if (!going) return false
    const oldest = slots.shift()
    if (oldest === undefined) return true
    try {
      going = await write(await oldest.answer)
    } catch (cause) {
      failure = reasonOf(cause)
      going = false
    }
    return going
  }
  const writeAnswered = async (): Promise<boolean> => {
    while (going && slots[0]?.settled === true) await writeOldest()
    return going
  }
  const writeAbove = async (limit: number): Promise<boolean> => {
    while (going && slots.length > limit) await writeOldest()
    return going
  }
  return {
    answered: (answer) => queue({ answer, settled: true }),
    awaiting: (answer) => {
      const slot: Slot<Answer> = { answer, settled: false }
      // Marks the slot, and handles a rejection: a failed pool rejects every batch, and those
      // after the first failed one are never awaited.
      answer.then(
        () => (slot.settled = true),
        () => (slot.settled = true)
      )
      queue(slot)
    },
    size: () => slots.length,
    peak: () => peak,
    failure: () => failure,
    writeOldest,
    writeAnswered,
    writeAbove
  }
}
