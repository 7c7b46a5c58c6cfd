import fc from "fast-check"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { decodeAttachDocument, decodeCatalog } from "../../src/Document.ts"
import type { DecodeError } from "../../src/Errors.ts"
import { type Path, failureOf, isContainer, validDocument, withValue } from "./validDocument.ts"

const expectWellFormedResult = (r: Result.Result<unknown, DecodeError>): void => {
  if (Result.isSuccess(r)) return
  expect(r.failure._tag).toBe("DecodeError")
  expect(typeof r.failure.path).toBe("string")
  expect(r.failure.path.length).toBeGreaterThan(0)
  expect(r.failure.message.startsWith(`${r.failure.path}: `)).toBe(true)
}

const deepArray = (depth: number): unknown => {
  let v: unknown = "leaf"
  for (let i = 0; i < depth; i++) v = [v]
  return v
}
const deepObject = (depth: number): unknown => {
  let v: unknown = { leaf: true }
  for (let i = 0; i < depth; i++) v = { catalog: v, plans: [v] }
  return v
}

/** Every path to a value in the valid document (objects, arrays and leaves). */
const allPaths = (node: unknown, prefix: Path = []): Array<Path> => {
  if (!isContainer(node)) return [prefix]
  const children = Object.keys(node).flatMap((k) => allPaths(node[Array.isArray(node) ? Number(k) : k], [...prefix, Array.isArray(node) ? Number(k) : k]))
  return prefix.length === 0 ? children : [prefix, ...children]
}

describe("decoding never throws", () => {
  it("on non-object documents", () => {
    const cases: Array<[unknown, RegExp]> = [
      [null, /got null/],
      [[], /got an array/],
      ["x", /got string/],
      [42, /got number/],
      [undefined, /got undefined/],
      [true, /got boolean/]
    ]
    for (const [input, message] of cases) {
      const e = failureOf(decodeAttachDocument(input))
      expect(e._tag).toBe("DecodeError")
      expect(e.path).toBe("(document)")
      expect(e.message).toMatch(message)
      expect(e.message.startsWith("(document): ")).toBe(true)
    }
  })

  it("on odd values in every field", () => {
    const cyclic: Record<string, unknown> = {}
    cyclic["self"] = cyclic
    const odd: ReadonlyArray<unknown> = [
      null, undefined, [], {}, "", "x", 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 10n ** 30n, true,
      deepArray(100_000), deepObject(40), cyclic, Symbol("s"), () => 1, new Date(0), new Map([["a", 1]]),
      Object.create(null), "__proto__", { __proto__: { id: "pro" } }, JSON.parse('{"__proto__": {"polluted": true}}')
    ]
    const paths = allPaths(validDocument())
    for (const path of paths) {
      for (const value of odd) {
        let r: Result.Result<unknown, DecodeError> | undefined
        expect(() => {
          r = decodeAttachDocument(withValue(path, value))
        }, `${path.join(".")} = ${String(typeof value)}`).not.toThrow()
        if (r !== undefined) expectWellFormedResult(r)
      }
    }
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined()
  })

  it("on deeply nested junk documents", () => {
    for (const input of [deepArray(100_000), deepObject(200), { catalog: deepObject(200), customer: deepArray(50_000), request: 1 }]) {
      let r: Result.Result<unknown, DecodeError> | undefined
      expect(() => {
        r = decodeAttachDocument(input)
      }).not.toThrow()
      if (r !== undefined) expectWellFormedResult(r)
    }
  })
})

describe("decoding never throws: properties", () => {
  it("on arbitrary values (property)", () => {
    fc.assert(
      fc.property(
        fc.anything({ maxDepth: 5, withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withBoxedValues: true }),
        (input) => {
          expectWellFormedResult(decodeAttachDocument(input))
          expectWellFormedResult(decodeCatalog(input))
          expectWellFormedResult(decodeAttachDocument({ catalog: input, customer: input, request: input }))
        }
      ),
      { seed: 42, numRuns: 200 }
    )
  })

  it("on the valid document with one field replaced by arbitrary JSON (property)", () => {
    const paths = allPaths(validDocument())
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 4 }), (path, value) => {
        const r = decodeAttachDocument(withValue(path, value))
        expectWellFormedResult(r)
        if (Result.isFailure(r)) {
          // the error is about the replaced field, or a field inside it, or a rule that involves it
          expect(["catalog", "customer", "request"].some((root) => r.failure.path.startsWith(root))).toBe(true)
        }
      }),
      { seed: 1337, numRuns: 200 }
    )
  })
})
