/**
 * The first line of the decoders: before Schema (or anything recursive) touches an input, one
 * iterative walk checks that it is data a decoder can finish on — every property readable (a
 * getter or a Proxy trap that throws is a bad field, not an exception), no deeper than
 * {@link INPUT_LIMITS}`.maxDepth` (which a cycle always is), no array longer than
 * `maxArrayLength` (a sparse array of length 2³²−1 is refused, not iterated), and at most
 * `maxValues` values in all (shared sub-objects count each time they are reached, so a "billion
 * laughs" of references is refused too). The limits are documented in docs/operations.md.
 *
 * @example
 * const cyclic: Record<string, unknown> = {}; cyclic["self"] = cyclic
 * guardInput({ request: { checkoutSessionParams: cyclic } }, "")?.message // "nests deeper than 64 levels (or refers to itself)"
 */
import type { DecodeIssue } from "../Errors.ts"

/**
 * The bounds of an input: nesting depth, array length, values in all.
 *
 * @example INPUT_LIMITS.maxArrayLength // 100000
 */
export const INPUT_LIMITS = { maxDepth: 64, maxArrayLength: 100_000, maxValues: 2_000_000 } as const

interface Frame {
  readonly value: unknown
  readonly parent: number
  readonly key: string | number
  readonly depth: number
}

const pathOf = (frames: ReadonlyArray<Frame>, at: number, prefix: string): string => {
  const keys: Array<string | number> = []
  for (let i = at; i > 0; i = (frames[i] as Frame).parent) keys.push((frames[i] as Frame).key)
  let path = prefix
  for (let k = keys.length - 1; k >= 0; k--) {
    const key = keys[k] as string | number
    path = typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`
  }
  return path === "" ? "(document)" : path
}

const reason = (cause: unknown): string => {
  try {
    return cause instanceof Error ? cause.message : String(cause)
  } catch {
    return "an exception"
  }
}

type Children = ReadonlyArray<readonly [string | number, unknown]>
/** Why children could not be read: the message, and the key that threw when it is known. */
type Unreadable = { readonly key: string | number | undefined; readonly message: string }

/** The children of an object or array, each read once. */
const childrenOf = (value: object): Children | Unreadable => {
  let key: string | number | undefined
  try {
    if (Array.isArray(value)) {
      if (value.length > INPUT_LIMITS.maxArrayLength) return { key: undefined, message: `has ${value.length} elements, more than the limit of ${INPUT_LIMITS.maxArrayLength}` }
      const out: Array<readonly [number, unknown]> = []
      for (let i = 0; i < value.length; i++) {
        key = i
        out.push([i, value[i]])
      }
      return out
    }
    const record = value as Record<string, unknown>
    const out: Array<readonly [string, unknown]> = []
    for (const k of Object.keys(record)) {
      key = k
      out.push([k, record[k]])
    }
    return out
  } catch (cause) {
    return { key, message: `cannot be read (${reason(cause)})` }
  }
}

/**
 * The first reason `input` cannot be decoded safely, with its path under `prefix`, or
 * `undefined` when it can.
 *
 * @example guardInput({ a: [1, 2] }, "catalog") // undefined
 */
export const guardInput = (input: unknown, prefix: string): DecodeIssue | undefined => {
  const frames: Array<Frame> = [{ value: input, parent: -1, key: "", depth: 1 }]
  const pending: Array<number> = [0]
  let values = 0
  while (pending.length > 0) {
    const at = pending.pop() as number
    const frame = frames[at] as Frame
    const value = frame.value
    if (++values > INPUT_LIMITS.maxValues) return { path: pathOf(frames, at, prefix), message: `makes the input hold more than ${INPUT_LIMITS.maxValues} values` }
    if (typeof value !== "object" || value === null) continue
    if (frame.depth > INPUT_LIMITS.maxDepth) return { path: pathOf(frames, at, prefix), message: `nests deeper than ${INPUT_LIMITS.maxDepth} levels (or refers to itself)` }
    const children = childrenOf(value)
    if (!Array.isArray(children)) {
      const { key, message } = children as Unreadable
      if (key === undefined) return { path: pathOf(frames, at, prefix), message }
      frames.push({ value: undefined, parent: at, key, depth: frame.depth + 1 })
      return { path: pathOf(frames, frames.length - 1, prefix), message }
    }
    for (const [key, child] of children) {
      if (typeof child !== "object" || child === null) {
        if (++values > INPUT_LIMITS.maxValues) return { path: pathOf(frames, at, prefix), message: `makes the input hold more than ${INPUT_LIMITS.maxValues} values` }
        continue
      }
      pending.push(frames.length)
      frames.push({ value: child, parent: at, key, depth: frame.depth + 1 })
    }
  }
  return undefined
}
