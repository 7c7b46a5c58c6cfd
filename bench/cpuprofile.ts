/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): inclusive and self time per function,
 * counted in samples, and self time per file or package.
 */
import { readFileSync } from "node:fs"

interface CallFrame {
  readonly functionName: string
  readonly url: string
  readonly lineNumber: number
  readonly columnNumber: number
}

interface ProfileNode {
  readonly id: number
  readonly callFrame: CallFrame
  readonly children?: ReadonlyArray<number>
}

interface CpuProfile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly samples: ReadonlyArray<number>
}

/** One function's share. */
export interface FunctionShare {
  readonly name: string
  /** Share of the samples under `focus` (0…1) with this function on the stack. */
  readonly inclusive: number
  /** Share of the samples under `focus` (0…1) in this function itself. */
  readonly self: number
}

/** The summary of a profile. */
export interface ProfileSummary {
  readonly totalSamples: number
  /** Samples whose stack includes the focus function. */
  readonly focusSamples: number
  /** Share of all samples spent in the garbage collector. */
  readonly gc: number
  readonly functions: ReadonlyArray<FunctionShare>
  /** Self time per file (library files) or package (node_modules), as a share of the focus samples. */
  readonly files: ReadonlyArray<{ readonly file: string; readonly self: number }>
}

const shortUrl = (url: string): string => {
  const nm = url.lastIndexOf("/node_modules/")
  if (nm >= 0) return url.slice(nm + "/node_modules/".length)
  const dist = url.lastIndexOf("/dist/")
  if (dist >= 0) return url.slice(dist + 1)
  return url.replace(/^file:\/\//, "") || "(native)"
}

const packageOf = (url: string): string => {
  const s = shortUrl(url)
  if (s.startsWith("dist/")) return s
  const parts = s.split("/")
  return parts[0]?.startsWith("@") === true ? `${parts[0]}/${parts[1] ?? ""}` : parts[0] ?? s
}

const keyOf = (f: CallFrame): string => `${f.functionName === "" ? "(anonymous)" : f.functionName} ${f.url === "" ? "(native)" : `${shortUrl(f.url)}:${f.lineNumber + 1}`}`

/**
 * Reads a .cpuprofile and attributes every sample to the functions on its stack. Only samples
 * with `focus` (a function name) on the stack count towards the shares.
 */
export const summariseProfile = (file: string, focus: string): ProfileSummary => {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile
  const byId = new Map<number, ProfileNode>()
  const parent = new Map<number, number>()
  for (const node of profile.nodes) {
    byId.set(node.id, node)
    for (const child of node.children ?? []) parent.set(child, node.id)
  }
  // For each node: the distinct function keys on its stack below focus, and whether focus is on it.
  const stackCache = new Map<number, { readonly keys: ReadonlySet<string>; readonly focused: boolean }>()
  const stackOf = (id: number): { readonly keys: ReadonlySet<string>; readonly focused: boolean } => {
    const cached = stackCache.get(id)
    if (cached !== undefined) return cached
    const node = byId.get(id)
    const up = parent.get(id)
    const above = up === undefined ? { keys: new Set<string>(), focused: false } : stackOf(up)
    // Only the part of the stack from the focus function down: its callers are not interesting.
    const focused = above.focused || node?.callFrame.functionName === focus
    const keys = focused ? new Set(above.keys) : above.keys
    if (focused && node !== undefined) (keys as Set<string>).add(keyOf(node.callFrame))
    const result = { keys, focused }
    stackCache.set(id, result)
    return result
  }
  const inclusive = new Map<string, number>()
  const self = new Map<string, number>()
  const fileSelf = new Map<string, number>()
  let focusSamples = 0
  let gcSamples = 0
  for (const id of profile.samples) {
    const node = byId.get(id)
    if (node === undefined) continue
    if (node.callFrame.functionName === "(garbage collector)") gcSamples++
    const stack = stackOf(id)
    if (!stack.focused) continue
    focusSamples++
    for (const key of stack.keys) inclusive.set(key, (inclusive.get(key) ?? 0) + 1)
    const key = keyOf(node.callFrame)
    self.set(key, (self.get(key) ?? 0) + 1)
    const pkg = node.callFrame.url === "" ? "(native / builtins)" : packageOf(node.callFrame.url)
    fileSelf.set(pkg, (fileSelf.get(pkg) ?? 0) + 1)
  }
  const share = (n: number): number => (focusSamples === 0 ? 0 : n / focusSamples)
  const functions = [...inclusive].map(([name, n]) => ({ name, inclusive: share(n), self: share(self.get(name) ?? 0) }))
  functions.sort((a, b) => b.inclusive - a.inclusive || b.self - a.self)
  const files = [...fileSelf].map(([file, n]) => ({ file, self: share(n) })).sort((a, b) => b.self - a.self)
  return { totalSamples: profile.samples.length, focusSamples, gc: profile.samples.length === 0 ? 0 : gcSamples / profile.samples.length, functions, files }
}
