/**
 * The docs stand alone: every relative link of README.md and docs/*.md names a file of the
 * repository and, with `#anchor`, a heading of that file (GitHub's anchors); nothing in the
 * README, the docs or the sources points at the contract the library was first written against.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { describe, expect, it } from "vitest"
import { root } from "../support/runCli.ts"

const DOCS = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)]

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
export const anchorOf = (heading: string): string =>
  heading.trim().toLowerCase().replace(/[`*_]/g, "").replace(/[^\p{L}\p{N} -]/gu, "").replace(/ /g, "-")

const anchorsOf = (markdown: string): ReadonlySet<string> =>
  new Set([...markdown.replace(/^```[\s\S]*?^```/gm, "").matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1] ?? "")))

const sourcesUnder = (dir: string): ReadonlyArray<string> =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourcesUnder(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [])

describe("links of README.md and docs/", () => {
  it("computes GitHub's anchors", () => {
    expect(anchorOf("8.3 Credits for an outgoing plan")).toBe("83-credits-for-an-outgoing-plan")
    expect(anchorOf("9. Worked example A — mid-cycle upgrade, Pro $20 → Premium $50")).toBe("9-worked-example-a--mid-cycle-upgrade-pro-20--premium-50")
    expect(anchorOf("`checkout` (legacy, `POST /v1/checkout`)")).toBe("checkout-legacy-post-v1checkout")
  })

  for (const file of DOCS) {
    it(`${file}: every relative link resolves`, () => {
      const text = readFileSync(join(root, file), "utf8")
      const broken: Array<string> = []
      for (const m of text.replace(/^```[\s\S]*?^```/gm, "").matchAll(/\]\(([^)\s]+)\)/g)) {
        const link = m[1] ?? ""
        if (/^[a-z]+:/.test(link)) continue
        const [path = "", anchor] = link.split("#")
        const target = path === "" ? join(root, file) : join(root, dirname(file), path)
        if (!existsSync(target) || relative(root, target).startsWith("..")) broken.push(link)
        else if (anchor !== undefined && target.endsWith(".md") && !anchorsOf(readFileSync(target, "utf8")).has(anchor)) broken.push(link)
      }
      expect(broken).toEqual([])
    })
  }

  it("never cite the original contract", () => {
    const files = [...DOCS, ...sourcesUnder("src")]
    const citing = files.filter((f) => /SPEC §|SPEC\.md|\.\.\/shared/.test(readFileSync(join(root, f), "utf8")))
    expect(citing).toEqual([])
  })
})
