/**
 * A server that bounds what a client can make it do (issue #13, point 3), on a real Node HTTP
 * server on 127.0.0.1: the key is checked from the headers before the body is read, bodies over
 * the limit are refused with 413 while they stream, a stalled body times out, plans per request
 * are capped, customer ids must be readable text, every error is `{ code, message, request_id }`
 * and a 500 carries no internal message.
 */
import { request as httpRequest } from "node:http"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeAutumnHandler } from "../../src/autumn/Handler.ts"
import { makeMemoryStore } from "../../src/autumn/CustomerStore.ts"
import { type Listening, listen, storeHandler } from "../../src/cli/serve.ts"
import * as Sandbox from "../../src/Sandbox.ts"
import { memoryStore } from "../../src/store/memoryStore.ts"
import { autumnTestCatalog } from "../support/autumnCatalog.ts"

const KEY = "am_sk_hardening"
let server: Listening

beforeAll(async () => {
  const { handler } = Result.getOrThrow(await storeHandler(autumnTestCatalog(), KEY, memoryStore(), { maxBodyBytes: 64 * 1024, bodyTimeoutMs: 300 }))
  server = await listen(handler, { port: 0, host: "127.0.0.1" })
})
afterAll(() => server.close())

interface Answer {
  readonly status: number
  readonly body: Record<string, unknown>
  /** Bytes of the body the client had written when the answer came. */
  readonly sentBeforeAnswer: number
}

/**
 * Sends a POST whose body is `chunks` written one by one, `gapMs` apart, stopping as soon as
 * the server answers.
 */
const post = (path: string, headers: Record<string, string>, chunks: ReadonlyArray<Buffer>, gapMs = 0): Promise<Answer> =>
  new Promise((resolve, reject) => {
    let sent = 0
    let answered = false
    const req = httpRequest(`${server.url}${path}`, { method: "POST", headers }, (res) => {
      answered = true
      const at = sent
      const parts: Array<Buffer> = []
      res.on("data", (b: Buffer) => parts.push(b))
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString("utf8")) as Record<string, unknown>, sentBeforeAnswer: at }))
    })
    // The server closes a refused connection: writes after that fail, which is expected here.
    req.on("error", (e) => (answered ? undefined : reject(e)))
    const write = async () => {
      for (const c of chunks) {
        if (answered) return
        await new Promise<void>((done) => req.write(c, () => done()))
        sent += c.byteLength
        if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs))
      }
      if (!answered) req.end()
    }
    void write().catch(() => {})
  })

const json = (value: unknown) => [Buffer.from(JSON.stringify(value))]
const auth = { authorization: `Bearer ${KEY}` }

const expectError = (a: Answer, status: number, code: string) => {
  expect(a.status).toBe(status)
  expect(a.body).toMatchObject({ code })
  expect(typeof a.body["message"]).toBe("string")
  expect(a.body["request_id"]).toMatch(/^req_[0-9a-f]{32}$/)
}

describe("before the body", () => {
  it("refuses a request without the key after its headers, never reading the 8 MB it announces", async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61)
    const a = await post("/v1/billing.attach", { "content-length": String(128 * chunk.byteLength) }, Array.from({ length: 128 }, () => chunk), 5)
    expectError(a, 401, "no_auth_header")
    expect(a.sentBeforeAnswer).toBeLessThan(64 * chunk.byteLength)
  })

  it("checks the key of the sandbox routes the same way, in the same header forms", async () => {
    expectError(await post("/v1/sandbox.state", { authorization: "Bearer wrong" }, json({})), 401, "invalid_secret_key")
    expect((await post("/v1/sandbox.state", { authorization: `bearer   ${KEY}` }, json({}))).status).toBe(200)
    expect((await post("/v1/billing.preview_attach", { authorization: `bearer   ${KEY}` }, json({ customer_id: "c", plan_id: "pro" }))).status).toBe(200)
  })
})

describe("the body", () => {
  it("is refused with 413 while it streams once it passes the limit (no content-length)", async () => {
    const chunk = Buffer.alloc(16 * 1024, 0x20)
    const a = await post("/v1/billing.attach", { ...auth, "transfer-encoding": "chunked" }, Array.from({ length: 64 }, () => chunk), 5)
    expectError(a, 413, "payload_too_large")
    expect(a.sentBeforeAnswer).toBeLessThan(32 * chunk.byteLength)
  })

  it("is refused at once when its content-length is over the limit", async () => {
    const a = await post("/v1/billing.attach", { ...auth, "content-length": String(10 * 1024 * 1024) }, [Buffer.from("{")], 0)
    expectError(a, 413, "payload_too_large")
  })

  it("that stalls gets 408 after the body timeout", async () => {
    const started = Date.now()
    const a = await post("/v1/billing.attach", { ...auth, "content-length": "100" }, [Buffer.from('{"customer_id":'), Buffer.from(" ")], 2_000)
    expectError(a, 408, "request_timeout")
    expect(Date.now() - started).toBeLessThan(1_900)
  })

  it.each([
    ["not JSON", [Buffer.from("{nope")], "(body): is not valid JSON"],
    ["invalid UTF-8 in a customer id", [Buffer.concat([Buffer.from('{"customer_id":"cus_'), Buffer.from([0xff, 0xfe]), Buffer.from('","plan_id":"pro"}')])], "(body): is not valid UTF-8"],
    ["a control character in a customer id", json({ customer_id: "cus\u0000a", plan_id: "pro" }), "customer_id: must not hold control characters or invalid UTF-8"],
    ["a lone surrogate in a customer id", [Buffer.from('{"customer_id":"cus_\\ud800","plan_id":"pro"}')], "customer_id: must not hold control characters or invalid UTF-8"],
    ["100,000 levels of nesting", [Buffer.from(`{"customer_id":"c","plan_id":"pro","checkout_session_params":${"[".repeat(100_000)}${"]".repeat(100_000)}}`)], "(body): nests deeper than 64 levels"],
    ["101 plans", json({ customer_id: "c", plans: Array.from({ length: 101 }, () => ({ plan_id: "seats" })) }), "plans: at most 100 plans per request, got 101"]
  ])("with %s is a 400 naming the problem", async (_name, chunks, message) => {
    const big = Result.getOrThrow(await storeHandler(autumnTestCatalog(), KEY, memoryStore(), { maxBodyBytes: 1024 * 1024 }))
    const s = await listen(big.handler, { port: 0, host: "127.0.0.1" })
    try {
      const a = await new Promise<Answer>((resolve, reject) => {
        const req = httpRequest(`${s.url}/v1/billing.preview_attach`, { method: "POST", headers: auth }, (res) => {
          const parts: Array<Buffer> = []
          res.on("data", (b: Buffer) => parts.push(b))
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString("utf8")) as Record<string, unknown>, sentBeforeAnswer: 0 }))
        })
        req.on("error", reject)
        req.end(Buffer.concat(chunks))
      })
      expectError(a, 400, "invalid_inputs")
      expect(a.body["message"]).toBe(message)
    } finally {
      await s.close()
    }
  })
})

describe("the customer's lock", () => {
  it("a request that waits longer than lockWaitMs for its customer is a 409 customer_busy and changes nothing", async () => {
    const sandbox = Sandbox.make()
    const slow = { ...sandbox.port, createInvoice: (r: Parameters<typeof sandbox.port.createInvoice>[0]) => Effect.delay(sandbox.port.createInvoice(r), "300 millis") }
    const handler = Result.getOrThrow(makeAutumnHandler({ catalog: autumnTestCatalog(), keys: [KEY], customers: makeMemoryStore([{ id: "cus_1", hasPaymentMethod: true }]), provider: slow, lockWaitMs: 50 }))
    const attach = (plan: string) => handler(new Request("http://x/v1/billing.attach", { method: "POST", headers: auth, body: JSON.stringify({ customer_id: "cus_1", plan_id: plan }) }))
    await Effect.runPromise(sandbox.attachPaymentMethod("cus_1", "pm_card_visa"))
    const [first, second] = await Promise.all([attach("pro"), attach("premium")])
    expect(first.status).toBe(200)
    expect(second.status).toBe(409)
    expect(await second.json()).toMatchObject({ code: "customer_busy" })
    expect((await Effect.runPromise(sandbox.state)).charges.map((c) => c.amount)).toEqual([2000])
  })
})

describe("errors", () => {
  it("a defect is a 500 that names only the request id; the cause goes to the log", async () => {
    const sandbox = Sandbox.make()
    const logged: Array<string> = []
    const provider = { ...sandbox.port, createInvoice: () => Effect.die(new Error("connection to db-7 refused, password=hunter2")) }
    const handler = Result.getOrThrow(makeAutumnHandler({ catalog: autumnTestCatalog(), keys: [KEY], customers: makeMemoryStore([{ id: "cus_1", hasPaymentMethod: true }]), provider, log: (l) => logged.push(l) }))
    const response = await handler(new Request("http://x/v1/billing.attach", { method: "POST", headers: auth, body: JSON.stringify({ customer_id: "cus_1", plan_id: "pro" }) }))
    const body = (await response.json()) as Record<string, unknown>
    expect(response.status).toBe(500)
    expect(body["code"]).toBe("internal_error")
    expect(JSON.stringify(body)).not.toContain("hunter2")
    expect(response.headers.get("x-request-id")).toBe(body["request_id"])
    expect(logged.join("\n")).toContain("hunter2")
    expect(logged.join("\n")).toContain(String(body["request_id"]))
  })
})
