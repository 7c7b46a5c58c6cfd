// Profiling harness (run by `npm run bench -- --profile` under `node --cpu-prof`): plans the
// core scenarios round-robin for a few seconds with the compiled library (dist/index.js).
// argv[2]: a JSON file { catalog, documents: [{ label, document: { customer, request } }] };
// argv[3]: seconds to run.
import { readFileSync } from "node:fs"
import * as Result from "effect/Result"
import { decodeCatalog, decodeCustomerAndRequest, planAttach } from "../dist/index.js"

const { catalog: catalogJson, documents } = JSON.parse(readFileSync(process.argv[2], "utf8"))
const seconds = Number(process.argv[3] ?? "5")
const catalog = decodeCatalog(catalogJson)
if (!Result.isSuccess(catalog)) throw new Error("catalog does not decode")
const inputs = documents.map(({ label, document }) => {
  const r = decodeCustomerAndRequest(catalog.success, document)
  if (!Result.isSuccess(r)) throw new Error(`${label} does not decode`)
  return r.success
})
let sink = 0
let calls = 0
const end = performance.now() + seconds * 1000
while (performance.now() < end) {
  for (let k = 0; k < 100; k++) {
    const r = planAttach(inputs[calls++ % inputs.length])
    if (Result.isSuccess(r)) sink += r.success.lines.length
  }
}
process.stdout.write(JSON.stringify({ calls, sink, usPerCall: (seconds * 1e6) / calls }) + "\n")
