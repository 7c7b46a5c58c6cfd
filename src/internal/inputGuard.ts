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

/** The objects reached so far, by index: their value, parent index, key in the parent and depth (parallel arrays allocate less than one record each). */
interface Frames {
  readonly values: Array<unknown>
  readonly parents: Array<number>
  readonly keys: Array<string | number>
  readonly depths: Array<number>
}

const push = (frames: Frames, value: unknown, parent: number, key: string | number, depth: number): number => {
  frames.values.push(value)
  frames.parents.push(parent)
  frames.keys.push(key)
  frames.depths.push(depth)
  return frames.values.length - 1
}

const pathOf = (frames: Frames, at: number, prefix: string): string => {
  const keys: Array<string | number> = []
  for (let i = at; i > 0; i = frames.parents[i] as number) keys.push(frames.keys[i] as string | number)
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

/** Why an object's children could not be read: the frame to name (the key that threw, when known) and the message. */
interface Unreadable {
  readonly at: number
  readonly message: string
}

const isObject = (u: unknown): u is object => typeof u === "object" && u !== null

/**
 * Reads each child of the object of frame `at` once, adding a frame for each object child (and
 * its index to `pending`, in order); the number of other children, or why they cannot be read.
 */
const readChildren = (frames: Frames, at: number, value: object, pending: Array<number>): number | Unreadable => {
  const depth = (frames.depths[at] as number) + 1
  const first = frames.values.length
  let key: string | number | undefined
  let primitives = 0
  try {
    if (Array.isArray(value)) {
      if (value.length > INPUT_LIMITS.maxArrayLength) return { at, message: `has ${value.length} elements, more than the limit of ${INPUT_LIMITS.maxArrayLength}` }
      for (let i = 0; i < value.length; i++) {
        key = i
        const child: unknown = value[i]
        if (isObject(child)) push(frames, child, at, i, depth)
        else primitives++
      }
    } else {
      const record = value as Record<string, unknown>
      for (const k of Object.keys(record)) {
        key = k
        const child = record[k]
        if (isObject(child)) push(frames, child, at, k, depth)
        else primitives++
      }
    }
  } catch (cause) {
    const message = `cannot be read (${reason(cause)})`
    return key === undefined ? { at, message } : { at: push(frames, undefined, at, key, depth), message }
  }
  for (let i = first; i < frames.values.length; i++) pending.push(i)
  return primitives
}

/** A sub-object already guarded (the same JSON a walk has counted before) and the values it holds. */
export interface GuardedPart {
  readonly value: object
  readonly values: number
}

/**
 * The first reason `input` cannot be decoded safely, with its path under `prefix`, or
 * `undefined` when it can. `known`, a part of `input` guarded before, is counted without being
 * walked again, unless the count would pass the limit there (then it is walked, so the issue
 * names the same value it would).
 *
 * @example guardInput({ a: [1, 2] }, "catalog") // undefined
 */
export const guardInput = (input: unknown, prefix: string, known?: GuardedPart): DecodeIssue | undefined => {
  const walked = walk(input, prefix, known)
  return typeof walked === "number" ? undefined : walked
}

/**
 * The values a guard of `input` counts (objects, arrays and their plain children), or undefined
 * when it cannot be decoded safely: what {@link guardInput} may skip as a {@link GuardedPart}.
 *
 * @example guardedValues({ a: [1, 2] }) // 4
 */
export const guardedValues = (input: unknown): number | undefined => {
  const walked = walk(input, "", undefined)
  return typeof walked === "number" ? walked : undefined
}

const walk = (input: unknown, prefix: string, known: GuardedPart | undefined): DecodeIssue | number => {
  const frames: Frames = { values: [input], parents: [-1], keys: [""], depths: [1] }
  const pending: Array<number> = [0]
  let values = 0
  while (pending.length > 0) {
    const at = pending.pop() as number
    const value = frames.values[at]
    if (known !== undefined && value === known.value && values + known.values <= INPUT_LIMITS.maxValues) {
      values += known.values
      continue
    }
    if (++values > INPUT_LIMITS.maxValues) return { path: pathOf(frames, at, prefix), message: `makes the input hold more than ${INPUT_LIMITS.maxValues} values` }
    if (!isObject(value)) continue
    if ((frames.depths[at] as number) > INPUT_LIMITS.maxDepth) return { path: pathOf(frames, at, prefix), message: `nests deeper than ${INPUT_LIMITS.maxDepth} levels (or refers to itself)` }
    const read = readChildren(frames, at, value, pending)
    if (typeof read !== "number") return { path: pathOf(frames, read.at, prefix), message: read.message }
    // Plain children count as values too; the object holding them is named when they pass the limit.
    values += read
    if (values > INPUT_LIMITS.maxValues) return { path: pathOf(frames, at, prefix), message: `makes the input hold more than ${INPUT_LIMITS.maxValues} values` }
  }
  return values
}
