/**
 * The one argument parser of the command line, over `node:util` `parseArgs`: every command
 * declares its options and reads the values, the flags and the positionals, or a usage error.
 * `--name value` and `--name=value` both work; a value may be `-` (standard input) but not
 * another option (`--catalog --jsonl` is a missing value, not a file named `--jsonl`); an
 * empty value is a missing one; `--` ends the options.
 *
 * @example
 * parseArgv(["doc.json", "--state=s.json"], { state: "string" })
 * // { values: Map { "--state" => "s.json" }, flags: Set {}, positionals: ["doc.json"] }
 */
import { parseArgs } from "node:util"

/** The options of a command: the name (without `--`) and whether it takes a value; `-h` is `--help`. */
export type ArgvSpec = Readonly<Record<string, "string" | "boolean">>

/** Parsed arguments: values and flags are keyed by their option as written, `--name`. */
export interface Argv {
  readonly values: ReadonlyMap<string, string>
  readonly flags: ReadonlySet<string>
  readonly positionals: ReadonlyArray<string>
}

/** The message for an option given without a value (default: `--name expects a value`). */
export type MissingValue = (option: string) => string

const expectsValue: MissingValue = (option) => `${option} expects a value`

/**
 * Parses a command's arguments against its options; a string is the usage error (the first
 * problem, in argument order). The last of a repeated option wins.
 *
 * @example parseArgv(["--verbose"], { format: "string" }) // 'unknown option "--verbose"'
 * @example parseArgv(["--format"], { format: "string" }, () => "--format expects json or table") // "--format expects json or table"
 */
export const parseArgv = (args: ReadonlyArray<string>, spec: ArgvSpec, missingValue: MissingValue = expectsValue): Argv | string => {
  const options = Object.fromEntries(Object.entries(spec).map(([name, type]) => [name, name === "help" ? { type, short: "h" } : { type }]))
  const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true })
  const values = new Map<string, string>()
  const flags = new Set<string>()
  const positionals: Array<string> = []
  for (const token of tokens) {
    if (token.kind === "positional") positionals.push(token.value)
    if (token.kind !== "option") continue
    const option = `--${token.name}`
    const type = Object.hasOwn(spec, token.name) ? spec[token.name] : undefined
    if (type === undefined) return `unknown option ${JSON.stringify(args[token.index] ?? token.rawName)}`
    if (type === "boolean") {
      if (token.value !== undefined) return `${option} takes no value`
      flags.add(option)
      continue
    }
    const value = token.value
    const isOption = token.inlineValue !== true && value !== undefined && value.startsWith("--") && value.length > 2
    if (value === undefined || value === "" || isOption) return missingValue(option)
    values.set(option, value)
  }
  return { values, flags, positionals }
}

/**
 * The one positional a command takes, `undefined` when there is none, or a usage error when
 * there are more.
 *
 * @example onePositional("attach", ["a.json", "b.json"]) // 'attach takes one FILE, got "a.json" and "b.json"'
 */
export const onePositional = (command: string, positionals: ReadonlyArray<string>): { readonly file: string | undefined } | string => {
  const [file, second] = positionals
  return second === undefined ? { file } : `${command} takes one FILE, got ${JSON.stringify(file)} and ${JSON.stringify(second)}`
}
