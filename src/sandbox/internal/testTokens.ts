/**
 * The test payment methods the sandbox knows: `pm_card_visa` succeeds, `pm_card_declined` and
 * `pm_card_insufficient_funds` decline, `pm_card_3ds` needs 3-D Secure.
 *
 * @example validToken("pm_card_visa") // Result.succeed("pm_card_visa")
 */
import * as Result from "effect/Result"
import { ProviderRejected } from "../../Provider.ts"
import type { Outcome } from "./outcome.ts"

const TOKENS = ["pm_card_visa", "pm_card_declined", "pm_card_insufficient_funds", "pm_card_3ds"]

/** Whether `token` is a test payment method. @example isTestToken("pm_card_3ds") // true */
export const isTestToken = (token: string): boolean => TOKENS.includes(token)

/** The rejection of a token that is not a test payment method. @example Result.fail(unknownToken("tok_x")) */
export const unknownToken = (token: string): ProviderRejected =>
  new ProviderRejected({ code: "unknown_test_token", message: `Unknown test payment method ${token}; use one of ${TOKENS.join(", ")}` })

/** `token` when it is a test payment method, else its rejection. @example validToken("pm_card_declined") */
export const validToken = (token: string): Outcome<string> => (isTestToken(token) ? Result.succeed(token) : Result.fail(unknownToken(token)))
