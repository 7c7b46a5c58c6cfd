/**
 * `serve`: the CLI runs the Autumn-compatible handler on Node's HTTP server over an Autumn
 * product file (the `pro` product of Autumn's checkout documentation: $20 a month), with the key
 * from ATTACH_PLANNER_KEY, and stops cleanly on SIGTERM.
 */
import { once } from "node:events"
import { describe, expect, it } from "vitest"
import { parseServeArgs } from "../../src/cli/serve.ts"
import { spawnCli } from "../support/runCli.ts"

describe("serve arguments", () => {
  it("takes the key from --key, else from ATTACH_PLANNER_KEY", () => {
    expect(parseServeArgs(["--catalog", "c.json", "--port", "8787", "--key", "k1"], { ATTACH_PLANNER_KEY: "k2" }))
      .toEqual({ catalog: "c.json", port: 8787, key: "k1", host: "127.0.0.1", store: "./.attach-planner", maxBody: 1048576 })
    expect(parseServeArgs(["--catalog=c.json", "--port=0"], { ATTACH_PLANNER_KEY: "k2" })).toMatchObject({ port: 0, key: "k2" })
    expect(parseServeArgs(["--catalog=c.json", "--port=0", "--test-card", "pm_card_visa"], { ATTACH_PLANNER_KEY: "k2" })).toMatchObject({ testCard: "pm_card_visa" })
    expect(parseServeArgs(["--catalog=c.json", "--port=0", "--max-body", "100"], { ATTACH_PLANNER_KEY: "k", DATABASE_URL: "postgres://db/x" }))
      .toMatchObject({ store: "postgres://db/x", maxBody: 100 })
    expect(parseServeArgs(["--catalog=c.json", "--port=0", "--store", "memory"], { ATTACH_PLANNER_KEY: "k", DATABASE_URL: "postgres://db/x" })).toMatchObject({ store: "memory" })
  })

  it.each([
    [["--port", "1"], {}, "serve needs --catalog FILE"],
    [["--catalog", "c.json"], {}, "serve needs --port N"],
    [["--catalog", "c.json", "--port", "x"], {}, '--port expects a port number 0–65535, got "x"'],
    [["--catalog", "c.json", "--port", "1"], {}, "serve needs --key KEY (or the ATTACH_PLANNER_KEY environment variable)"],
    [["--catalog", "c.json", "--port", "1", "--verbose"], { ATTACH_PLANNER_KEY: "k" }, 'unknown option "--verbose"'],
    [["--catalog", "c.json", "--port", "1", "--max-body", "1MB"], { ATTACH_PLANNER_KEY: "k" }, '--max-body expects a number of bytes, got "1MB"']
  ])("%j is a usage error", (args, env, message) => {
    expect(parseServeArgs(args, env)).toBe(message)
  })
})

describe("serve over an Autumn product file", () => {
  it("answers Autumn's API with the key from the environment, then stops on SIGTERM", async () => {
    process.env["ATTACH_PLANNER_KEY"] = "am_sk_cli"
    const child = spawnCli(["serve", "--catalog", "test/fixtures/autumn/checkout-pro-v1.json", "--port", "0", "--store", "memory"])
    delete process.env["ATTACH_PLANNER_KEY"]
    try {
      const [chunk] = (await once(child.stdout, "data")) as [Buffer]
      const url = chunk.toString().trim()
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const post = (path: string, body: unknown, key = "am_sk_cli") =>
        fetch(`${url}${path}`, { method: "POST", headers: { authorization: `Bearer ${key}` }, body: JSON.stringify(body) })
      expect((await post("/v1/billing.preview_attach", { customer_id: "c1", plan_id: "pro" }, "wrong")).status).toBe(401)
      // A new customer with the sandbox's test card: pro is $20.00 a month, paid at once.
      const attached = await post("/v1/billing.attach", { customer_id: "c1", plan_id: "pro", customer_data: { metadata: { test_payment_method: "pm_card_visa" } } })
      expect(await attached.json()).toMatchObject({ customer_id: "c1", invoice: { status: "paid", total: 2000, currency: "usd" }, payment_url: null })
      const sandbox = (await (await post("/v1/sandbox.state", {})).json()) as { readonly charges: ReadonlyArray<{ readonly amount: number }> }
      expect(sandbox.charges.map((c) => c.amount)).toEqual([2000])
    } finally {
      child.kill("SIGTERM")
    }
    const [code] = (await once(child, "exit")) as [number | null]
    expect(code).toBe(0)
  })
})

describe("serve --test-card", () => {
  it("gives every new customer the card: the documented checkout call is charged $20.00 at once, no url", async () => {
    const child = spawnCli(["serve", "--catalog", "test/fixtures/autumn/checkout-pro-v1.json", "--port", "0", "--key", "am_sk_card", "--test-card", "pm_card_visa", "--store", "memory"])
    try {
      const [chunk] = (await once(child.stdout, "data")) as [Buffer]
      const url = chunk.toString().trim()
      const post = (path: string, body: unknown) =>
        fetch(`${url}${path}`, { method: "POST", headers: { authorization: "Bearer am_sk_card" }, body: JSON.stringify(body) }).then((r) => r.json())
      expect(await post("/v1/billing.attach", { customer_id: "user_123", plan_id: "pro" }))
        .toMatchObject({ customer_id: "user_123", invoice: { status: "paid", total: 2000 }, payment_url: null })
      const sandbox = (await post("/v1/sandbox.state", {})) as { readonly charges: ReadonlyArray<{ readonly amount: number; readonly paymentMethod: string }> }
      expect(sandbox.charges.map((c) => [c.amount, c.paymentMethod])).toEqual([[2000, "pm_card_visa"]])
    } finally {
      child.kill("SIGTERM")
    }
    await once(child, "exit")
  })
})
