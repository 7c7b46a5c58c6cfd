/**
 * Whether two values from `JSON.parse` are the same JSON (the same keys in the same order, the
 * same texts, numbers, booleans and nulls): the test a JSONL stream runs to see that a line's
 * catalog is the one it decoded last.
 *
 * @example sameJson({ a: [1] }, JSON.parse('{"a":[1]}')) // true
 */

/** A test of a value from `JSON.parse`. */
export type Matcher = (value: unknown) => boolean

/**
 * A test of whether a value from `JSON.parse` is the same JSON as `known`: the same keys in the
 * same order, the same texts, numbers (`-0` is not `0`), booleans and nulls. Built once per
 * known value, so that a test reads each property of the value once and allocates nothing; it
 * goes only as deep as `known` nests.
 *
 * @example sameJsonAs(JSON.parse('{"a":[1,"x"]}'))(JSON.parse('{"a":[1,"x"]}')) // true
 */
export const sameJsonAs = (known: unknown): Matcher => {
  if (typeof known !== "object" || known === null) return known === 0 ? (value) => Object.is(value, known) : (value) => value === known
  if (Array.isArray(known)) {
    const items = known.map(sameJsonAs)
    return (value) => {
      if (!Array.isArray(value) || value.length !== items.length) return false
      for (let i = 0; i < items.length; i++) if (!(items[i] as Matcher)(value[i])) return false
      return true
    }
  }
  const record = known as Record<string, unknown>
  const keys = Object.keys(record)
  const fields = keys.map((key) => sameJsonAs(record[key]))
  return (value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return false
    const values = value as Record<string, unknown>
    // for…in lists own keys in the order Object.keys does, then inherited enumerable ones, which
    // a value from JSON.parse does not have (and which make the count differ).
    let i = 0
    for (const key in values) {
      if (key !== keys[i] || !(fields[i] as Matcher)(values[key])) return false
      i++
    }
    return i === keys.length
  }
}

/**
 * Whether a value from `JSON.parse` is the same JSON as `known`, as {@link sameJsonAs} tests it,
 * without building a matcher first: for a catalog compared once, which is what a stream of
 * changing catalogs does with each of them.
 *
 * @example sameJson({ a: [1] }, { a: [1] }) // true
 */
export const sameJson = (known: unknown, value: unknown): boolean => {
  if (typeof known !== "object" || known === null) return known === 0 ? Object.is(value, known) : value === known
  if (Array.isArray(known)) {
    if (!Array.isArray(value) || value.length !== known.length) return false
    for (let i = 0; i < known.length; i++) if (!sameJson(known[i], value[i])) return false
    return true
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false
  const record = known as Record<string, unknown>
  const values = value as Record<string, unknown>
  const keys = Object.keys(record)
  let i = 0
  for (const key in values) {
    if (key !== keys[i] || !sameJson(record[key], values[key])) return false
    i++
  }
  return i === keys.length
}
