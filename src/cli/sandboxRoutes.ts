/**
 * The sandbox routes of `serve`, beside Autumn's: they drive the sandbox as a customer would in a
 * browser. `POST /v1/sandbox.complete_checkout` `{ url, payment_method? }` completes a checkout
 * session and the plan waiting for it takes effect (what a provider's webhook does), and
 * `POST /v1/sandbox.state` returns the sandbox's state.
 *
 * @example const handler = withSandboxRoutes(autumnHandler, sandbox, "sk_1")
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import type { AutumnHandler } from "../autumn/Handler.ts"
import { authenticate } from "../autumn/internal/auth.ts"
import type { BodyLimits } from "../autumn/internal/body.ts"
import { fromRequest, type RawRequest, type RawResponse, splitTarget, toResponse } from "../autumn/internal/raw.ts"
import { jsonRaw, newRequestId } from "../autumn/internal/requestId.ts"
import type * as Sandbox from "../Sandbox.ts"

const SANDBOX_BODY: BodyLimits = { maxBytes: 64 * 1024, timeoutMs: 10_000, maxDepth: 8 }

/**
 * The sandbox routes of `serve` in front of the Autumn handler: the same key, checked the same
 * way (headers only, constant time) before the body is read.
 *
 * @example const handler = withSandboxRoutes(autumnHandler, sandbox, "sk_1")
 */
export const withSandboxRoutes = (handler: AutumnHandler, sandbox: Sandbox.SandboxOps, key: string) => {
  const raw = async (request: RawRequest): Promise<RawResponse> => {
    const { path } = splitTarget(request.url)
    if (path !== "/v1/sandbox.complete_checkout" && path !== "/v1/sandbox.state") return handler.raw(request)
    const requestId = newRequestId()
    const reply = (status: number, body: unknown) => jsonRaw(status, body, requestId)
    const who = authenticate(request.header("authorization"), [key])
    if (typeof who !== "number") return reply(who.status, { code: who.code, message: who.message })
    if (path === "/v1/sandbox.state") return reply(200, await Effect.runPromise(sandbox.state))
    const read = await request.readBody(SANDBOX_BODY)
    if (!read.ok) return reply(read.failure.status, { code: read.failure.code, message: read.failure.message })
    const body = typeof read.value === "object" && read.value !== null ? read.value as { readonly url?: unknown; readonly payment_method?: unknown } : {}
    if (typeof body.url !== "string") return reply(400, { code: "invalid_inputs", message: "url: is required (the checkout URL)" })
    const token = typeof body.payment_method === "string" ? body.payment_method : "pm_card_visa"
    const done = await Effect.runPromise(Effect.result(sandbox.completeCheckout(body.url, token)))
    if (Result.isFailure(done)) return reply(400, { code: "checkout_failed", message: done.failure.message })
    // As the provider's webhook would: the plan waiting for this checkout takes effect now.
    const state = await Effect.runPromise(sandbox.state)
    const customerId = state.checkoutSessions.find((cs) => cs.id === done.success.id)?.customerId ?? ""
    const resumed = await handler.resume(customerId)
    return reply(resumed.status, resumed.body)
  }
  return Object.assign((request: Request) => raw(fromRequest(request)).then(toResponse), { raw })
}
