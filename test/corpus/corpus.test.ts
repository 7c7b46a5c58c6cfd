/**
 * The engine answers every recorded corpus document exactly as recorded (test/corpus/corpus.ts):
 * the same preview or error document, byte for byte, and the same table. A refactoring must keep
 * this green without re-recording.
 */
import { describe, expect, it } from "vitest"
import { answerOf, digestOf, readDigests, readDocuments } from "./corpus.ts"

const documents = readDocuments()
const digests = readDigests()
const CHUNK = 5_000
const chunks = Array.from({ length: Math.ceil(documents.length / CHUNK) }, (_, i) => i * CHUNK)

describe("the recorded corpus", () => {
  it("holds the conformance cases and at least 20,000 generated documents, one digest each", () => {
    expect(documents.length).toBeGreaterThanOrEqual(25_000)
    expect(digests.length).toBe(documents.length)
  })

  it.each(chunks)("documents %i… are answered byte for byte as recorded", (start) => {
    const changed: Array<number> = []
    for (let i = start; i < Math.min(start + CHUNK, documents.length); i++) {
      if (digestOf(answerOf(documents[i])) !== digests[i]) changed.push(i)
    }
    const first = changed[0]
    const hint = first === undefined ? "" : `\nfirst changed document #${first}: ${JSON.stringify(documents[first]).slice(0, 600)}\nnow answers: ${answerOf(documents[first]).slice(0, 600)}`
    expect(changed.length, `${changed.length} answers changed${hint}`).toBe(0)
  }, 300_000)
})
