// The JSON floor of the end-to-end benchmark: the least any `--jsonl` tool must do per line.
// Reads stdin line by line with readline, JSON.parses each line, and writes JSON.stringify of a
// preview-sized object (one real preview, read once from the file given as argv[2]) per line.
// Plain JavaScript on purpose: started with `node`, like dist/cli/main.js, with no loader.
import { readFileSync } from "node:fs"
import { createInterface } from "node:readline"

const preview = JSON.parse(readFileSync(process.argv[2], "utf8"))
let lines = 0
let parsedKeys = 0
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false })) {
  if (line.trim() === "") continue
  const doc = JSON.parse(line)
  parsedKeys += Object.keys(doc).length
  lines++
  if (!process.stdout.write(JSON.stringify(preview) + "\n")) await new Promise((resolve) => process.stdout.once("drain", resolve))
}
process.stderr.write(`floor: ${lines} lines, ${parsedKeys} keys\n`)
