/**
 * Spawns the command line from the checkout (`npx tsx src/cli/main.ts …`), feeds it standard
 * input, and collects its exit code and output.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

/** The project's root directory. */
export const root = fileURLToPath(new URL("../../", import.meta.url))

/** What a CLI run produced. */
export interface CliRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * How to start the CLI: `npx` runs `npx tsx src/cli/main.ts` exactly as documented; `tsx` runs the
 * same tsx entry point with this Node binary, without npx's start-up cost (the default).
 */
export type Launcher = "npx" | "tsx"

const tsxCli = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url))

/**
 * Starts the CLI with `args` (standard streams piped).
 *
 * @example const child = spawnCli(["preview", "--jsonl"])
 */
export const spawnCli = (args: ReadonlyArray<string>, launcher: Launcher = "tsx"): ChildProcessWithoutNullStreams =>
  launcher === "npx"
    ? spawn("npx", ["tsx", "src/cli/main.ts", ...args], { cwd: root, stdio: ["pipe", "pipe", "pipe"] })
    : spawn(process.execPath, [tsxCli, "src/cli/main.ts", ...args], { cwd: root, stdio: ["pipe", "pipe", "pipe"] })

/**
 * Runs the CLI with `args`, writing `input` (if any) to its standard input.
 *
 * @example const { code, stdout } = await runCli(["preview", "examples/new.json"])
 */
export const runCli = (args: ReadonlyArray<string>, input?: string, launcher: Launcher = "tsx"): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const child = spawnCli(args, launcher)
    const out: Array<Buffer> = []
    const err: Array<Buffer> = []
    child.stdout.on("data", (b: Buffer) => out.push(b))
    child.stderr.on("data", (b: Buffer) => err.push(b))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }))
    child.stdin.on("error", () => {})
    child.stdin.end(input ?? "")
  })

/** The non-empty lines of an output. */
export const outputLines = (stdout: string): Array<string> => stdout.split("\n").filter((l) => l.trim() !== "")
