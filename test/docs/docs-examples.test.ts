/**
 * Every TypeScript block of README.md and docs/*.md runs as printed: each block is written to a
 * file of its own (imports of `attach-planner` and its entry points pointed at `src/`, as the
 * package's `exports` map them), run from the repository's root with tsx, and must exit 0
 * without writing to stderr; all blocks also type-check. When a block is followed by a ```text
 * block, that block is what the example prints, exactly. A sketch that is not meant to run is
 * fenced as `text`, not `ts`.
 */
import { execFile } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import { promisify } from "node:util"
import { afterAll, describe, expect, it } from "vitest"
import { root } from "../support/runCli.ts"

const run = promisify(execFile)

/** One TypeScript block: where it is, its code, and the output printed under it, if any. */
interface Example {
  readonly name: string
  readonly code: string
  readonly output: string | undefined
}

const FENCE = /^```(\w*)[^\n]*\n([\s\S]*?)^```[ \t]*$/gm

/** The TypeScript blocks of one Markdown file, each with the `text` block right after it. */
export const examplesOf = (file: string, markdown: string): ReadonlyArray<Example> => {
  const blocks = [...markdown.matchAll(FENCE)].map((m) => ({
    lang: m[1] ?? "", body: m[2] ?? "", start: m.index, end: m.index + m[0].length, line: markdown.slice(0, m.index).split("\n").length
  }))
  return blocks.flatMap((b, i) => {
    if (b.lang !== "ts" && b.lang !== "typescript") return []
    const next = blocks[i + 1]
    const adjacent = next !== undefined && next.lang === "text" && markdown.slice(b.end, next.start).trim() === ""
    return [{ name: `${file}:${b.line}`, code: b.body, output: adjacent ? next.body : undefined }]
  })
}

/** `attach-planner[/entry]` → the source file the package's `exports` map it to. */
const entryPoints = (): ReadonlyMap<string, string> => {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { readonly name: string; readonly exports: Record<string, unknown> }
  const entries = new Map<string, string>()
  for (const [key, target] of Object.entries(pkg.exports)) {
    const js = typeof target === "object" && target !== null ? (target as Record<string, unknown>)["import"] : undefined
    if (typeof js !== "string") continue
    entries.set(key === "." ? pkg.name : `${pkg.name}/${key.slice(2)}`, join(root, js.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts")))
  }
  return entries
}

/** The block's code, for a file in `dir`, with its package imports pointed at the sources. */
const resolved = (code: string, entries: ReadonlyMap<string, string>, dir: string): string =>
  code.replace(/(from\s+|import\s*\(\s*)"(attach-planner(?:\/[\w-]+)?)"/g, (whole, lead: string, specifier: string) => {
    const file = entries.get(specifier)
    return file === undefined ? whole : `${lead}${JSON.stringify(relative(dir, file))}`
  })

const DOCS = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)]
const EXAMPLES = DOCS.flatMap((file) => examplesOf(file, readFileSync(join(root, file), "utf8")))
const scratch = mkdtempSync(join(root, ".docs-examples-"))
const tsx = join(root, "node_modules", "tsx", "dist", "cli.mjs")

afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe("the examples of README.md and docs/", () => {
  it("include the README's", () => {
    expect(EXAMPLES.filter((e) => e.name.startsWith("README.md")).length).toBeGreaterThanOrEqual(3)
  })

  const entries = entryPoints()
  EXAMPLES.forEach((example, i) => {
    it(`${example.name} runs as printed`, async () => {
      const file = join(scratch, `example-${i}.ts`)
      writeFileSync(file, resolved(example.code, entries, scratch))
      const { stdout, stderr } = await run(process.execPath, [tsx, file], { cwd: root, timeout: 60_000 }).catch((e: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`${example.name} failed:\n${e.stderr ?? e.message}`)
      })
      expect(stderr).toBe("")
      // A block that checks something prints FAIL lines for what did not hold (the contract kit's).
      expect(stdout).not.toMatch(/^FAIL/m)
      if (example.output !== undefined) expect(stdout).toBe(example.output)
    })
  })

  it("type-check, strict, as the project's own code", async () => {
    const files = EXAMPLES.map((example, i) => {
      const file = join(scratch, `typed-${i}.ts`)
      writeFileSync(file, resolved(example.code, entries, scratch))
      return { file, name: example.name }
    })
    const config = join(scratch, "tsconfig.json")
    writeFileSync(config, JSON.stringify({ extends: join(root, "tsconfig.json"), compilerOptions: { noEmit: true, rootDir: root }, include: files.map((f) => f.file) }))
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc")
    const errors = await run(process.execPath, [tsc, "-p", config], { cwd: root, timeout: 240_000 }).then(() => "", (e: { stdout?: string }) => e.stdout ?? "tsc failed")
    const named = files.reduce((text, f) => text.replaceAll(f.file.slice(root.length), f.name), errors)
    expect(named).toBe("")
  }, 300_000)
})

describe("examplesOf", () => {
  it("takes ts and typescript blocks, and the text block right after one as its output", () => {
    const md = "# t\n\n```ts\nconsole.log(1)\n```\n\n```text\n1\n```\n\n```sh\nls\n```\n\n```typescript\nlet a = 2\n```\n\nprose\n\n```text\nnot an output\n```\n"
    expect(examplesOf("x.md", md)).toEqual([
      { name: "x.md:3", code: "console.log(1)\n", output: "1\n" },
      { name: "x.md:15", code: "let a = 2\n", output: undefined }
    ])
  })
})
