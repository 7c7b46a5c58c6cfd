/**
 * The package as a user installs it: the build output, laid out as `node_modules/attach-planner`
 * with this package.json, imported by entry point from a separate Node process. Each entry's
 * exports are listed here, so that adding or removing a public name is a visible change; the
 * internals are not importable; the root entry loads neither the Autumn layer nor the sandbox;
 * `npm pack` ships the LICENSE and no source map.
 */
import { execFile } from "node:child_process"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { root } from "../support/runCli.ts"

const run = promisify(execFile)

const ENTRIES: Readonly<Record<string, ReadonlyArray<string>>> = {
  "attach-planner": [
    "AttachPreviewSchema", "AttachRequestSchema", "AuthenticationRequired", "CardDeclined", "CatalogSchema", "Checkout", "CurrencyMismatch", "CustomerSchema",
    "DecodeError", "Discounts", "Interval", "InvalidRequest", "Money", "PaymentMethodRequired", "PaymentProvider", "PaymentProviderError",
    "Pricing", "Proration", "ProrationPolicy", "ProviderActionSchema", "ProviderRejected", "ProviderUnavailable", "Rational", "Scenario", "StalePlan", "Tiers",
    "TimelineOptionError", "UnknownDiscount", "UnknownFeature", "UnknownPlan", "advanceClock", "advanceClockPromise", "billingInterval", "callToAction", "customerEligibility",
    "decodeAttachDocument", "decodeCatalog", "decodeCustomerAndRequest", "decodeErrorOf", "decodePricingDocument", "decodePricingRequest",
    "encodeAttachDocument", "encodeCatalog", "entryOf", "errorDocument", "executeAttach", "executeAttachPromise", "findPlan", "fromPromises",
    "hasTestClock", "heldPlans", "isCurrent", "isPaymentFailure", "listedPlans", "makePort", "mapPort", "planAttach", "planPricingTable", "portOperations",
    "previewAttach", "previewAttachPromise", "previewAttachSync", "previewDocument", "previewPricingTable", "previewPricingTablePromise",
    "previewPricingTableSync", "previewTimeline", "previewTimelinePromise", "previewTimelineSync", "timelineDocument", "timelineOf"
  ],
  "attach-planner/sandbox": ["Sandbox", "decodeState", "emptyState", "layer", "layerWith", "make"],
  "attach-planner/autumn": [
    "AUTUMN_ROUTES", "AttachBodySchema", "AutumnApiError", "CheckoutBodySchema", "CustomerChanged", "CustomerDataSchema", "CustomerExists",
    "CustomerStore", "MultiAttachBodySchema", "TEST_PAYMENT_METHOD_FIELD", "apiShape", "attach", "attachResponse", "autumnCatalogDocument",
    "basePriceItem", "checkout", "checkoutResponse", "customerNotFound", "customerView", "decodeAttachBody", "decodeCheckoutBody",
    "decodeMultiAttachBody", "defaultNewCustomer", "errorBody", "featureType", "featureView", "fromExecuteError", "fromPlanError",
    "getCustomer", "getOrCreateCustomer", "getPlan", "importAutumnCatalog", "invalidInputs", "isAutumnCatalog", "isMeteringRoute",
    "layerMemory", "legacyAttach", "legacyCancel", "listCustomers", "listPlans", "listProducts", "makeAutumnHandler", "makeMemoryStore",
    "minorToMajor", "multiAttach", "previewAttach", "previewMultiAttach", "previewResponse", "previewUpdate", "productItem",
    "productProperties", "productView", "resolveRoute", "resume", "routeCustomerId", "sandboxCustomers", "toMillis", "toWireAmount",
    "updateCustomer", "updateSubscription"
  ],
  "attach-planner/stripe": [
    "StripeProvider", "layer", "lookupKeyOf", "makeMemoryPendingPlans", "makeStripePort", "makeStripeWebhookHandler", "markRenewalFailed", "planKey",
    "pricedItems", "renewalCoupons", "stripeCall", "toProviderError"
  ],
  "attach-planner/testing": ["contractCatalog", "contractChecks", "runContract", "withFaults", "withWriteOutage"]
}

/** Members of the root entry's namespaces whose module also holds what only the planner uses (kept out of the package). */
const NAMESPACE_MEMBERS: Readonly<Record<string, ReadonlyArray<string>>> = {
  Discounts: ["appliesToInvoice", "splitByLargestRemainder"]
}

/** The dependencies the build output imports, linked beside the installed package. */
const LINKED = ["effect", "decimal.js", "@electric-sql/pglite", "pg", "stripe"]

let scratch = ""
let installed = ""

/** Runs an ES module script (`node --input-type=module`) from the scratch directory, where `attach-planner` resolves to the installed copy. */
const node = async (script: string): Promise<string> => {
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: scratch, timeout: 60_000 })
  return stdout
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "attach-planner-surface-"))
  installed = join(scratch, "node_modules", "attach-planner")
  mkdirSync(installed, { recursive: true })
  for (const file of ["package.json", "README.md", "LICENSE", "docs", "examples"]) cpSync(join(root, file), join(installed, file), { recursive: true })
  for (const name of LINKED) {
    const target = join(scratch, "node_modules", name)
    mkdirSync(dirname(target), { recursive: true })
    symlinkSync(resolve(root, "node_modules", name), target, "dir")
  }
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc")
  await run(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json"), "--outDir", join(installed, "dist")], { cwd: root, timeout: 240_000 })
}, 300_000)

afterAll(() => {
  if (scratch !== "") rmSync(scratch, { recursive: true, force: true })
})

describe("the installed package", () => {
  it("has exactly the listed exports at each entry point", async () => {
    const script = `const entries = ${JSON.stringify(Object.keys(ENTRIES))}
      const out = {}
      for (const e of entries) out[e] = Object.keys(await import(e)).sort()
      console.log(JSON.stringify(out))`
    const actual = JSON.parse(await node(script)) as Record<string, ReadonlyArray<string>>
    for (const [entry, names] of Object.entries(ENTRIES)) expect({ entry, names: actual[entry] }).toEqual({ entry, names: [...names].sort() })
  })

  it("has exactly the listed members in the root entry's namespaces", async () => {
    const script = `const root = await import("attach-planner")
      const out = {}
      for (const n of ${JSON.stringify(Object.keys(NAMESPACE_MEMBERS))}) out[n] = Object.keys(root[n]).sort()
      console.log(JSON.stringify(out))`
    const actual = JSON.parse(await node(script)) as Record<string, ReadonlyArray<string>>
    for (const [namespace, names] of Object.entries(NAMESPACE_MEMBERS)) expect({ namespace, names: actual[namespace] }).toEqual({ namespace, names: [...names].sort() })
  })

  it("does not export its internals, nor a source file", async () => {
    const script = `for (const e of ["attach-planner/internal/actions", "attach-planner/internal/actions.js", "attach-planner/dist/Planner.js", "attach-planner/src/index.ts"]) {
        try { await import(e); console.log(e + " imported") } catch (cause) { console.log(e + " " + cause.code) }
      }`
    expect((await node(script)).trim().split("\n")).toEqual([
      "attach-planner/internal/actions ERR_PACKAGE_PATH_NOT_EXPORTED",
      "attach-planner/internal/actions.js ERR_PACKAGE_PATH_NOT_EXPORTED",
      "attach-planner/dist/Planner.js ERR_PACKAGE_PATH_NOT_EXPORTED",
      "attach-planner/src/index.ts ERR_PACKAGE_PATH_NOT_EXPORTED"
    ])
  })

  it("answers a preview through the root entry, and its package.json is importable", async () => {
    const script = `import { previewDocument } from "attach-planner"
      import pkg from "attach-planner/package.json" with { type: "json" }
      import { readFileSync } from "node:fs"
      const doc = JSON.parse(readFileSync("node_modules/attach-planner/examples/new.json", "utf8"))
      console.log(pkg.name, typeof previewDocument(doc).amountDue)`
    expect((await node(script)).trim()).toBe("attach-planner number")
  })

  it("loads neither the Autumn layer nor the sandbox from the root entry", () => {
    const loaded = modulesOf(join(installed, "dist", "index.js")).map((f) => f.slice(installed.length + 1))
    expect(loaded).toContain("dist/Planner.js")
    expect(loaded.filter((f) => /Sandbox|sandbox\/|autumn\/|stripe\/|store\/|cli\//.test(f))).toEqual([])
  })

  it("packs the LICENSE and every entry's files, and no source map or source file", async () => {
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: installed, timeout: 60_000 })
    const files = ((JSON.parse(stdout) as Array<{ readonly files: ReadonlyArray<{ readonly path: string }> }>)[0]?.files ?? []).map((f) => f.path)
    expect(files).toContain("LICENSE")
    expect(readFileSync(join(installed, "LICENSE"), "utf8")).toContain("attach-planner contributors")
    expect(files.filter((f) => f.endsWith(".map") || f.startsWith("src/"))).toEqual([])
    const pkg = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { readonly exports: Record<string, string | Record<string, string>> }
    const targets = Object.values(pkg.exports).flatMap((t) => (typeof t === "string" ? [t] : Object.values(t))).map((t) => t.replace(/^\.\//, ""))
    for (const target of targets) expect({ target, packed: files.includes(target) && existsSync(join(installed, target)) }).toEqual({ target, packed: true })
  })
})

/** The build's own modules that `entry` loads, following relative imports and re-exports. */
const modulesOf = (entry: string): ReadonlyArray<string> => {
  const seen = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    for (const m of readFileSync(file, "utf8").matchAll(/(?:import|export)[^"';]*?from\s*["'](\.[^"']+)["']/g)) visit(resolve(dirname(file), m[1] ?? ""))
  }
  visit(entry)
  return [...seen].sort()
}
