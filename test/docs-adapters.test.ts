/**
 * The TypeScript blocks of docs/adapters.md from §7 on (the adapter contract kit and the Stripe
 * adapter) run as printed: each is written to a file with the package's own imports pointed at
 * the source tree and run with tsx; it must exit 0. (Blocks that need a Stripe key are marked
 * `sh` or `text` in the page and are not run.)
 */
import { execFile } from "node:child_process"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { promisify } from "node:util"
import { describe, expect, it } from "vitest"

const ROOT = resolve(import.meta.dirname, "..")
const page = readFileSync(join(ROOT, "docs/adapters.md"), "utf8")
const tail = page.slice(page.indexOf("\n## 7."))
const blocks = [...tail.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "")

/** Each entry point of the package (its `exports`) and the source file it is built from. */
const SOURCES: Record<string, string> = Object.fromEntries(
  Object.entries((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { readonly exports: Record<string, unknown> }).exports).flatMap(([entry, target]) => {
    const built = typeof target === "object" && target !== null && "import" in target ? target.import : undefined
    if (typeof built !== "string" || entry.includes("*") || !built.endsWith(".js")) return []
    return [[`attach-planner${entry.slice(1)}`, built.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts")]]
  })
)
const pointed = (code: string): string =>
  code.replace(/from "(attach-planner(?:\/[a-z]+)?)"/g, (all, name: string) => (SOURCES[name] === undefined ? all : `from "${join(ROOT, SOURCES[name])}"`))

describe("docs/adapters.md: the blocks of §7 and later run as printed", () => {
  it("has blocks to run, and knows the package's entry points", () => {
    expect(blocks.length).toBeGreaterThan(0)
    expect(SOURCES["attach-planner/stripe"]).toBe("src/stripe/index.ts")
  })
  blocks.forEach((code, i) => {
    it(`block ${i + 1} exits 0`, async () => {
      const dir = join(ROOT, ".docblocks", `adapters-${process.pid}-${i}`)
      mkdirSync(dir, { recursive: true })
      const file = join(dir, "block.ts")
      writeFileSync(file, pointed(code))
      try {
        const out = await promisify(execFile)(join(ROOT, "node_modules/.bin/tsx"), [file], { cwd: ROOT, timeout: 60_000 })
        expect(out.stdout).not.toMatch(/^FAIL/m)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }, 90_000)
  })
})
