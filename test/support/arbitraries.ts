/**
 * fast-check generators of plans, instants and amounts for the property suites
 * (`test/properties/`), with an exact oracle of docs/spec.md §6 `isUpgrade` over the generated
 * plans. Amounts are generated as integer ten-thousandths of a major unit so the oracle works in
 * exact bigint fractions, and rendered as the decimal strings a catalog holds. Each kind of value
 * has its module under ./arbitraries/; this one gathers them.
 *
 * @example
 * fc.sample(planShapeArb, 1).map((s) => planDoc("pro", s)) // [{ id: "pro", price: { amount: "12.5000", … }, items: […] }]
 */
export * from "./arbitraries/amounts.ts"
export * from "./arbitraries/attachDocuments.ts"
export * from "./arbitraries/catalogDocuments.ts"
export * from "./arbitraries/instants.ts"
export * from "./arbitraries/planShapes.ts"
export * from "./arbitraries/plannedDocuments.ts"
export * from "./arbitraries/upgradeOracle.ts"
