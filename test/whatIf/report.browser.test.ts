/**
 * The what-if's HTML report (issue #15) rendered in headless Chromium (playwright-core, Debian's
 * /usr/bin/chromium; skipped with a printed reason when there is no browser): the page loads
 * offline (every request outside the page is refused and counted), its charts drew (bars with a
 * height in the histogram and in the revenue chart), and a screenshot is not blank.
 */
import { existsSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { chromium } from "playwright-core"
import { whatIfReport } from "../../src/whatIf/report.ts"
import { addLine, makeSummary, summaryOf } from "../../src/whatIf/summary.ts"

const CHROMIUM = "/usr/bin/chromium"
const hasBrowser = existsSync(CHROMIUM)
if (!hasBrowser) console.log(`what-if report test skipped: no browser at ${CHROMIUM}`)

/** A summary of 200 customers: prices up 0–40% for most, a few falls, one failed migration. */
const summary = () => {
  const acc = makeSummary()
  for (let i = 0; i < 200; i++) {
    const before = 1000 + (i % 7) * 500
    const change = i % 10 === 0 ? -(before / 10) : Math.round((before * (i % 41)) / 100)
    addLine(acc, { customerId: `cus_${i}`, currency: i % 5 === 0 ? "eur" : "usd", monthlyBefore: before, monthlyAfter: before + change, change })
  }
  addLine(acc, { customerId: "cus_x", error: { _tag: "UnknownPlan", message: "plan gold is not in the catalog" }, migration: { from: "pro", to: "gold" } })
  return summaryOf(acc)
}

describe.skipIf(!hasBrowser)("what-if report in Chromium", () => {
  it("opens offline and its charts drew", async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"], headless: true })
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 1400 } })
      let outside = 0
      await page.route("**/*", (route) => {
        outside++
        return route.abort()
      })
      await page.setContent(whatIfReport(summary(), { from: "catalog.json", to: "catalog-2025.json", at: "2025-01-16T00:00:00.000Z" }), { waitUntil: "load" })
      expect(outside).toBe(0)
      // (browser-side code as text: the project's TypeScript has no DOM types)
      const charts = await page.evaluate<Array<number>>(`Array.from(document.querySelectorAll("figure svg")).map((svg) => Array.from(svg.querySelectorAll("rect.bar")).filter((r) => r.getBoundingClientRect().height > 0).length)`)
      // the histogram, then usd and eur revenue before/after
      expect(charts.length).toBe(3)
      expect(charts[0]).toBeGreaterThan(3)
      expect(charts.slice(1)).toEqual([2, 2])
      const shot = await page.screenshot({ fullPage: true })
      expect(shot.length).toBeGreaterThan(10_000)
      // non-blank: the screenshot, drawn on a canvas, holds pixels of the histogram's blue
      const viewer = await browser.newPage()
      const blue = await viewer.evaluate<number>(`(async () => {
        const img = new Image()
        img.src = "data:image/png;base64,${shot.toString("base64")}"
        await img.decode()
        const canvas = document.createElement("canvas")
        canvas.width = img.width
        canvas.height = img.height
        const ctx = canvas.getContext("2d")
        ctx.drawImage(img, 0, 0)
        const data = ctx.getImageData(0, 0, img.width, img.height).data
        let n = 0
        for (let i = 0; i < data.length; i += 4) if (data[i] === 59 && data[i + 1] === 111 && data[i + 2] === 182) n++
        return n
      })()`)
      expect(blue).toBeGreaterThan(500)
      expect(await page.textContent("h1")).toContain("catalog.json → catalog-2025.json")
    } finally {
      await browser.close()
    }
  }, 60_000)
})
