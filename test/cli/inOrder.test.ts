/**
 * The in-order answers of a parallel run (src/internal/inOrder.ts) once the run stops: nothing
 * more is written, and the answers still queued stay counted as queued, whether the output went
 * away or a worker's answer failed.
 */
import { describe, expect, it } from "vitest"
import { inOrder } from "../../src/internal/inOrder.ts"

describe("the in-order answers after the run stops", () => {
  it("keeps the answers after a stopped output queued and unwritten, however often the oldest is asked for", async () => {
    const written: Array<string> = []
    const answers = inOrder((answer: string) => {
      written.push(answer)
      return false
    })
    for (const answer of ["a", "b", "c"]) answers.answered(answer)
    expect(await answers.writeOldest()).toBe(false)
    expect(answers.size()).toBe(2)
    expect(await answers.writeOldest()).toBe(false)
    expect(await answers.writeAbove(0)).toBe(false)
    expect(await answers.writeAnswered()).toBe(false)
    expect(written).toEqual(["a"])
    expect(answers.size()).toBe(2)
  })

  it("writes the answers before a failed one, none after, and says why", async () => {
    const written: Array<string> = []
    const answers = inOrder((answer: string) => written.push(answer) > 0)
    answers.answered("a")
    answers.awaiting(Promise.reject(new Error("a worker exited unexpectedly (code 3)")))
    answers.awaiting(Promise.resolve("c"))
    expect(await answers.writeAbove(0)).toBe(false)
    expect(await answers.writeOldest()).toBe(false)
    expect(written).toEqual(["a"])
    expect(answers.failure()).toBe("a worker exited unexpectedly (code 3)")
    expect(answers.size()).toBe(1)
  })

  it("answers true with nothing queued, and writes nothing", async () => {
    const answers = inOrder((_answer: string) => false)
    expect(await answers.writeOldest()).toBe(true)
    expect(answers.size()).toBe(0)
  })
})
