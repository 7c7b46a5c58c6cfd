/**
 * `attach-planner/testing`: tools for authors of payment adapters. Today: fault injection
 * ({@link withFaults}) — wrap any port so chosen calls fail with `ProviderUnavailable`, before or
 * after the provider acted — to check that a retry of the same plan never acts twice.
 *
 * @example
 * import { withFaults } from "attach-planner/testing"
 * const faulty = withFaults(myPort, { calls: [2], when: "after" })
 */
export { type Faults, withFaults } from "./faults.ts"
