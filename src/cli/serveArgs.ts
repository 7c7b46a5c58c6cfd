/**
 * The command line of `serve`: its usage text, and its arguments parsed into
 * {@link ServeOptions} (a string is a usage error).
 *
 * @example parseServeArgs(["--catalog", "c.json", "--port", "8787", "--key", "k"], {}) // { catalog: "c.json", port: 8787, key: "k", … }
 */
import { DEFAULT_MAX_BODY_BYTES } from "../autumn/Handler.ts"
import { DEFAULT_STORE } from "../store/open.ts"
import { parseArgv } from "./internal/argv.ts"

/** The usage text of `serve`. @example process.stderr.write(SERVE_USAGE) */
export const SERVE_USAGE = `Usage: attach-planner serve --catalog FILE --port N [--key KEY] [--host HOST] [--store STORE]
                            [--max-body BYTES] [--test-card PM] [--provider sandbox|stripe]

Serves Autumn's API (checkout, attach, cancel, billing.*, customers.*, plans.*, products; see
docs/autumn-compat.md) over the catalog in FILE, with the sandbox payment provider, for local
development. Customers, pending plans, idempotency records and the sandbox's state are kept in
STORE. Point Autumn's clients at http://HOST:N (autumn-js 1.x: serverURL; 0.x: url
"http://HOST:N/v1").

Options:
  --catalog FILE   This library's catalog JSON, or Autumn's products / plans JSON.
  --port N         The port (0 picks a free one; the URL is printed).
  --key KEY        The secret key clients send as "Authorization: Bearer KEY"
                   (default: the ATTACH_PLANNER_KEY environment variable).
  --host HOST      The address to listen on (default 127.0.0.1).
  --store STORE    A directory (embedded PostgreSQL; one process at a time), a
                   postgres:// URL (any number of servers on one database), or "memory"
                   (default: the DATABASE_URL environment variable, else ./.attach-planner).
  --max-body BYTES The largest request body accepted (default 1048576); larger is a 413.
  --test-card PM   Every new customer gets this sandbox test card (e.g. pm_card_visa), so paid
                   attaches charge it instead of answering a checkout url.
  --provider P     sandbox (default) or stripe: the Stripe adapter (STRIPE_SECRET_KEY,
                   STRIPE_WEBHOOK_SECRET; STRIPE_API_BASE for another API host), webhook at /webhooks/stripe.

New customers (customer_data) have no payment method unless
customer_data.metadata.test_payment_method is a sandbox test card: pm_card_visa,
pm_card_declined, pm_card_insufficient_funds, pm_card_3ds.
Sandbox routes: POST /v1/sandbox.complete_checkout { "url": …, "payment_method": "pm_card_visa" }
completes a checkout session and the plan waiting for it takes effect (as a provider's webhook
would); POST /v1/sandbox.state returns the sandbox's state.

Exit codes: 0 stopped (SIGINT/SIGTERM), 1 bad catalog or cannot listen, 2 usage error.
`

/** The options of `serve`. @example { catalog: "catalog.json", port: 8787, key: "sk_1", host: "127.0.0.1", store: "./.attach-planner", maxBody: 1048576 } */
export interface ServeOptions {
  readonly catalog: string
  readonly port: number
  readonly key: string
  readonly host: string
  readonly store: string
  readonly maxBody: number
  readonly testCard?: string
}

/**
 * Parses the arguments after `serve`; a string is a usage error.
 *
 * @example parseServeArgs(["--catalog", "c.json", "--port", "8787", "--key", "k"], {}) // { catalog: "c.json", port: 8787, key: "k", host: "127.0.0.1", store: "./.attach-planner", maxBody: 1048576 }
 */
export const parseServeArgs = (args: ReadonlyArray<string>, env: Readonly<Record<string, string | undefined>>): ServeOptions | string => {
  const argv = parseArgv(args, { catalog: "string", port: "string", key: "string", host: "string", "test-card": "string", store: "string", "max-body": "string" })
  if (typeof argv === "string") return argv
  const [stray] = argv.positionals
  if (stray !== undefined) return `unknown argument ${JSON.stringify(stray)}`
  const { values } = argv
  const catalog = values.get("--catalog")
  if (catalog === undefined) return "serve needs --catalog FILE"
  const portText = values.get("--port")
  if (portText === undefined) return "serve needs --port N"
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65535) return `--port expects a port number 0–65535, got ${JSON.stringify(portText)}`
  const key = values.get("--key") ?? env["ATTACH_PLANNER_KEY"]
  if (key === undefined || key === "") return "serve needs --key KEY (or the ATTACH_PLANNER_KEY environment variable)"
  const maxBodyText = values.get("--max-body") ?? String(DEFAULT_MAX_BODY_BYTES)
  if (!/^\d+$/.test(maxBodyText) || Number(maxBodyText) < 1) return `--max-body expects a number of bytes, got ${JSON.stringify(maxBodyText)}`
  const store = values.get("--store") ?? env["DATABASE_URL"] ?? DEFAULT_STORE
  const testCard = values.get("--test-card")
  return { catalog, port, key, host: values.get("--host") ?? "127.0.0.1", store, maxBody: Number(maxBodyText), ...(testCard === undefined ? {} : { testCard }) }
}
