/**
 * Lookups by key in the sandbox's tables without scanning them: an index per (table, key
 * function), built once and extended with the rows pushed since (tables only grow in place; a
 * table cut down is a new array, which gets a new index). The first row of a key wins, as
 * `Array.prototype.find` would.
 *
 * @example
 * const BY_ID = (r: { readonly id: string }) => r.id
 * findBy(invoices, BY_ID, "in_sbx_0001") // the row, or undefined
 */

interface Index {
  readonly rows: Map<string, unknown>
  seen: number
}

const indexes = new WeakMap<ReadonlyArray<unknown>, Map<(row: never) => string, Index>>()

/**
 * The first row of `rows` whose `keyOf` is `key`. `keyOf` must be one function for the life of
 * the table (a module constant), and a row's key must not change.
 *
 * @example findBy([{ id: "a" }], (r) => r.id, "a") // { id: "a" }
 */
export const findBy = <R>(rows: ReadonlyArray<R>, keyOf: (row: R) => string, key: string): R | undefined => {
  let byFunction = indexes.get(rows)
  if (byFunction === undefined) {
    byFunction = new Map()
    indexes.set(rows, byFunction)
  }
  let index = byFunction.get(keyOf as (row: never) => string)
  if (index === undefined || index.seen > rows.length) {
    index = { rows: new Map(), seen: 0 }
    byFunction.set(keyOf as (row: never) => string, index)
  }
  for (; index.seen < rows.length; index.seen++) {
    const row = rows[index.seen] as R
    const k = keyOf(row)
    if (!index.rows.has(k)) index.rows.set(k, row)
  }
  return index.rows.get(key) as R | undefined
}
