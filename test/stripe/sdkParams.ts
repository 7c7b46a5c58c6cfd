/**
 * The parameters the official SDK's type definitions name for each endpoint, read from the
 * installed package's `.d.ts` files (node_modules/stripe/esm/resources/…) when the test server
 * starts — not a hand-kept copy, so it follows the SDK version that is installed.
 *
 * Each `interface …Params` (and the interfaces nested in its namespace) becomes a table of
 * property names → type text. A request's parameters are checked against it recursively: a key
 * the interface does not name is refused, as Stripe refuses it (`parameter_unknown`). A property
 * whose type is a metadata map (or that the reader could not resolve to an interface) accepts any
 * nested keys.
 *
 * @example
 * const check = loadParams()
 * check("SubscriptionCreateParams", "Subscriptions", { customer: "cus_1", bogus: 1 }) // "bogus"
 */
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"

type Table = Map<string, Map<string, string>>

const resourcesDir = (): string => {
  // The package's main entry is cjs/stripe.cjs.node.js: its root is one folder up.
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve("stripe")), "..", "esm", "resources")
}

const PAGINATION = ["limit", "starting_after", "ending_before", "expand"]

/** Reads every interface of one `.d.ts` file into qualified name → property → type text. */
const readFile = (path: string): Table => {
  const table: Table = new Map()
  const stack: Array<{ readonly kind: "ns" | "iface" | "inline"; readonly name: string }> = []
  const scope = (): string => stack.filter((s) => s.kind !== "inline").map((s) => s.name).join(".")
  for (const raw of readFileSync(path, "utf8").split("\n")) {
    const line = raw.trim()
    if (line.startsWith("/*") || line.startsWith("*")) continue
    const open = /^(?:export )?(?:declare )?(interface|namespace) ([A-Za-z0-9_]+)(?: extends ([A-Za-z0-9_.]+))? \{$/.exec(line)
    if (open !== null) {
      stack.push({ kind: open[1] === "interface" ? "iface" : "ns", name: open[2] ?? "" })
      if (open[1] === "interface") table.set(scope(), new Map(open[3] === "PaginationParams" ? PAGINATION.map((p) => [p, "string"]) : []))
      continue
    }
    const prop = /^([a-z_0-9]+)\??: (.*)$/.exec(line)
    const top = stack[stack.length - 1]
    if (prop !== null && top?.kind === "iface") table.get(scope())?.set(prop[1] ?? "", prop[2] ?? "")
    const opens = (line.match(/\{/g) ?? []).length
    const closes = (line.match(/\}/g) ?? []).length
    for (let i = 0; i < opens - closes; i++) stack.push({ kind: "inline", name: "" })
    for (let i = 0; i < closes - opens; i++) stack.pop()
  }
  return table
}

/** The interface a property's type names, resolved from the innermost scope outwards. */
const resolve = (table: Table, owner: string, type: string): string | "any" | undefined => {
  if (/MetadataParam|Record<|\[key: string\]|\{$/.test(type)) return "any"
  const parts = owner.split(".")
  for (const ref of type.match(/[A-Z][A-Za-z0-9_]*(?:\.[A-Z][A-Za-z0-9_]*)*/g) ?? []) {
    for (let n = parts.length; n >= 0; n--) {
      const name = [...parts.slice(0, n), ref].join(".")
      if (table.has(name)) return name
    }
  }
  return undefined
}

/** The first parameter path the SDK's types do not name, or undefined. */
const unknownPath = (table: Table, iface: string, value: unknown, path: string): string | undefined => {
  const props = table.get(iface)
  if (props === undefined || typeof value !== "object" || value === null) return undefined
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const bad = unknownPath(table, iface, v, `${path}[${i}]`)
      if (bad !== undefined) return bad
    }
    return undefined
  }
  for (const [key, v] of Object.entries(value)) {
    const here = path === "" ? key : `${path}[${key}]`
    const type = props.get(key)
    if (type === undefined) return here
    const inner = resolve(table, iface, type)
    if (inner === undefined || inner === "any") continue
    const bad = unknownPath(table, inner, v, here)
    if (bad !== undefined) return bad
  }
  return undefined
}

/** Checks request parameters against `<file>.d.ts`'s interface `name`; answers the first unknown parameter. */
export type ParamCheck = (name: string, file: string, params: unknown) => string | undefined

/**
 * Loads the checker (files are read once each).
 *
 * @example const check = loadParams(); check("InvoicePayParams", "Invoices", { off_session: "true" }) // undefined
 */
export const loadParams = (): ParamCheck => {
  const dir = resourcesDir()
  const files = new Map<string, Table>()
  return (name, file, params) => {
    let table = files.get(file)
    if (table === undefined) {
      table = readFile(join(dir, `${file}.d.ts`))
      files.set(file, table)
    }
    if (!table.has(name)) throw new Error(`The SDK's ${file}.d.ts has no interface ${name}`)
    return unknownPath(table, name, params, "")
  }
}
