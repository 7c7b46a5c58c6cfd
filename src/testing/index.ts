/**
 * `attach-planner/testing`: tools for authors of payment adapters.
 *
 * - The adapter contract ({@link contractChecks}, {@link runContract}): every operation of the
 *   port, idempotency keys and the error mapping, checked against your provider from your own
 *   test runner. Describe the provider once as a {@link ContractSetup}; see docs/adapters.md.
 * - Fault injection ({@link withFaults}): wrap any port so chosen calls fail with
 *   `ProviderUnavailable`, before or after the provider acted; {@link withWriteOutage} fails the
 *   next write on demand (the `failNextWrite` of a subject whose provider cannot fail itself).
 *
 * @example
 * import { contractChecks, withFaults } from "attach-planner/testing"
 * const faulty = withFaults(myPort, { calls: [2], when: "after" })
 */
export { type Faults, withFaults } from "./faults.ts"
export { type CheckResult, type ContractCard, type ContractCheck, type ContractSetup, type ContractSubject, contractChecks, runContract } from "./contract.ts"
export { contractCatalog } from "./catalog.ts"
export { type WriteOutage, withWriteOutage } from "./outage.ts"
