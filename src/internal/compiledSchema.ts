/**
 * A decoder compiled from a schema's AST, for schemas that only validate (no transformations):
 * the same structure walk as `effect/Schema`'s decoder, with the schema's own checks run on each
 * value, but as plain closures built once. On a valid input it returns what the Schema decoder
 * returns — new objects with the schema's keys in schema order, optional keys only when present,
 * arrays copied — and on anything else, or anything it does not model, {@link GIVE_UP}: the
 * caller then runs the Schema decoder, which words the error. So it changes speed, never an
 * answer, and it cannot drift from the schema because it is read from it.
 *
 * @example
 * const decode = compileDecoder(Schema.Struct({ id: Schema.String }))
 * decode({ id: "pro" }) // { id: "pro" }
 * decode({ id: 1 }) === GIVE_UP // true
 */
import type * as Schema from "effect/Schema"
import type * as AST from "effect/SchemaAST"

/** The answer of a compiled decoder that is not sure: decode with Schema instead. */
export const GIVE_UP: unique symbol = Symbol("decode with Schema")

type Decode = (u: unknown) => unknown

const PARSE_OPTIONS: AST.ParseOptions = { errors: "all", onExcessProperty: "error" }
const never: Decode = () => GIVE_UP

type Check = NonNullable<AST.AST["checks"]>[number]

const passes = (check: Check, value: unknown, ast: AST.AST): boolean =>
  check._tag === "Filter" ? check.run(value, ast, PARSE_OPTIONS) === undefined : check.checks.every((c) => passes(c, value, ast))

/** A plain predicate that accepts exactly what a schema's checks (all of them, in order) accept. */
interface PlainChecks {
  readonly checks: ReadonlyArray<Check>
  readonly test: (u: unknown) => boolean
}

// Keyed by the last check object of a schema (never by text): a schema keeps its check objects
// when it is made optional or put in a struct, so its leaves are recognised wherever they occur.
// The last, not the first: leaves refined from one base (`Schema.Int`) share their first check.
const plainChecks = new WeakMap<Check, PlainChecks>()

const plainTestOf = (checks: ReadonlyArray<Check>): ((u: unknown) => boolean) | undefined => {
  const last = checks[checks.length - 1]
  const plain = last === undefined ? undefined : plainChecks.get(last)
  if (plain === undefined || plain.checks.length !== checks.length) return undefined
  return plain.checks.every((c, i) => c === checks[i]) ? plain.test : undefined
}

/**
 * Lets compiled decoders run `test` instead of the checks of `schema`: `test` must accept exactly
 * the values (already of the schema's type) that the checks accept — a test proves it for each
 * schema registered — and is cheaper because it builds no issue and can share work between
 * checks (a decimal amount is read once for "a decimal" and "non-negative"). Returns `schema`.
 *
 * @example
 * const Code = withPlainChecks(Schema.String.check(Schema.isLengthBetween(3, 3)), (u) => typeof u === "string" && u.length === 3)
 */
export const withPlainChecks = <S extends Schema.Top>(schema: S, test: (u: unknown) => boolean): S => {
  const checks = schema.ast.checks
  const last = checks?.[checks.length - 1]
  if (checks !== undefined && last !== undefined) plainChecks.set(last, { checks: [...checks], test })
  return schema
}

const withChecks = (ast: AST.AST, decode: Decode): Decode => {
  const checks = ast.checks
  if (checks === undefined || checks.length === 0) return decode
  const test = plainTestOf(checks)
  if (test !== undefined) {
    return (u) => {
      const out = decode(u)
      return out === GIVE_UP || !test(out) ? GIVE_UP : out
    }
  }
  return (u) => {
    const out = decode(u)
    return out === GIVE_UP || !checks.every((c) => passes(c, out, ast)) ? GIVE_UP : out
  }
}

const isPlainObject = (u: unknown): u is Record<string, unknown> => {
  if (typeof u !== "object" || u === null || Array.isArray(u)) return false
  const proto: unknown = Object.getPrototypeOf(u)
  // A symbol key is an excess key for the Schema decoder, which Object.keys would not show.
  return (proto === Object.prototype || proto === null) && Object.getOwnPropertySymbols(u).length === 0
}

const keyword = (ast: AST.AST): Decode | undefined => {
  switch (ast._tag) {
    case "String":
      return (u) => (typeof u === "string" ? u : GIVE_UP)
    case "Number":
      return (u) => (typeof u === "number" && Number.isFinite(u) ? u : GIVE_UP)
    case "Boolean":
      return (u) => (typeof u === "boolean" ? u : GIVE_UP)
    case "Null":
      return (u) => (u === null ? u : GIVE_UP)
    case "Literal": {
      const literal = ast.literal
      return (u) => (u === literal ? u : GIVE_UP)
    }
    default:
      return undefined
  }
}

const arrays = (ast: AST.Arrays, compile: (a: AST.AST) => Decode, copy: boolean): Decode => {
  const rest = ast.rest[0]
  if (ast.elements.length > 0 || ast.rest.length !== 1 || rest === undefined) return never
  const item = compile(rest)
  return (u) => {
    if (!Array.isArray(u)) return GIVE_UP
    const out = copy ? new Array<unknown>(u.length) : undefined
    for (let i = 0; i < u.length; i++) {
      if (!(i in u)) return GIVE_UP
      const v = item(u[i])
      if (v === GIVE_UP) return GIVE_UP
      if (out !== undefined) out[i] = v
    }
    return out ?? u
  }
}

const record = (ast: AST.Objects, compile: (a: AST.AST) => Decode, copy: boolean): Decode => {
  const index = ast.indexSignatures[0]
  if (ast.propertySignatures.length > 0 || ast.indexSignatures.length !== 1 || index === undefined || index.parameter._tag !== "String" || index.parameter.checks !== undefined) return never
  const value = compile(index.type)
  return (u) => {
    if (!isPlainObject(u)) return GIVE_UP
    const out: Record<string, unknown> | undefined = copy ? {} : undefined
    for (const key of Object.keys(u)) {
      const v = value(u[key])
      if (v === GIVE_UP) return GIVE_UP
      if (out !== undefined) out[key] = v
    }
    return out ?? u
  }
}

const struct = (ast: AST.Objects, compile: (a: AST.AST) => Decode, copy: boolean): Decode => {
  if (ast.indexSignatures.length > 0) return record(ast, compile, copy)
  const fields = ast.propertySignatures.map((p) => ({
    name: typeof p.name === "string" ? p.name : "",
    named: typeof p.name === "string",
    optional: p.type.context?.isOptional === true,
    // A name Object.prototype also has reads as present when absent: ask for an own property.
    inherited: typeof p.name === "string" && p.name in Object.prototype,
    decode: compile(p.type)
  }))
  if (fields.some((f) => !f.named)) return never
  const known = new Set(fields.map((f) => f.name))
  return (u) => {
    if (!isPlainObject(u)) return GIVE_UP
    let present = 0
    const out: Record<string, unknown> | undefined = copy ? {} : undefined
    for (const f of fields) {
      const value = u[f.name]
      if ((value === undefined || f.inherited) && !Object.hasOwn(u, f.name)) {
        if (!f.optional) return GIVE_UP
        continue
      }
      present++
      const v = f.decode(value)
      if (v === GIVE_UP) return GIVE_UP
      if (out !== undefined) out[f.name] = v
    }
    // An excess key is an error for the Schema decoder: let it say so.
    const keys = Object.keys(u)
    if (keys.length !== present) return GIVE_UP
    for (const key of keys) if (!known.has(key)) return GIVE_UP
    return out ?? u
  }
}

const union = (ast: AST.Union, compile: (a: AST.AST) => Decode): Decode => {
  const members = ast.types.map(compile)
  return (u) => {
    for (const member of members) {
      const v = member(u)
      if (v !== GIVE_UP) return v
    }
    return GIVE_UP
  }
}

/** The compiler of one mode: copying (a decoder) or not (a validator). */
const compilerOf = (copy: boolean): ((ast: AST.AST) => Decode) => {
  const compileAst = (ast: AST.AST): Decode => {
    if (ast.encoding !== undefined) return never
    if ("encodingChecks" in ast && ast.encodingChecks !== undefined) return never
    const simple = keyword(ast)
    if (simple !== undefined) return withChecks(ast, simple)
    switch (ast._tag) {
      case "Arrays":
        return withChecks(ast, arrays(ast, compileAst, copy))
      case "Objects":
        return withChecks(ast, struct(ast, compileAst, copy))
      case "Union":
        return withChecks(ast, union(ast, compileAst))
      case "Suspend": {
        let inner: Decode | undefined
        return withChecks(ast, (u) => (inner ??= compileAst(ast.thunk()))(u))
      }
      default:
        return never
    }
  }
  return compileAst
}

const copying = compilerOf(true)
const validating = compilerOf(false)

/**
 * Compiles a decoder for `schema` (see the module comment): the decoded value, or
 * {@link GIVE_UP}.
 *
 * @example
 * const decode = compileDecoder(Schema.Array(Schema.Literals(["a", "b"])))
 * decode(["a", "b"]) // ["a", "b"]
 * decode(["c"]) === GIVE_UP // true
 */
export const compileDecoder = (schema: Schema.Top): Decode => copying(schema.ast)

/**
 * Compiles a validator for `schema`: the same walk and checks as {@link compileDecoder}, so it
 * gives up exactly where the decoder does, but it copies nothing and answers the input itself.
 * For a caller that builds its own values from the input and keeps none of its objects.
 *
 * @example
 * const input = { id: "pro" }
 * compileValidator(Schema.Struct({ id: Schema.String }))(input) === input // true
 */
export const compileValidator = (schema: Schema.Top): Decode => validating(schema.ast)
