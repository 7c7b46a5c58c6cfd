/**
 * A throwaway PostgreSQL 15 server for tests: `initdb` in a temporary directory, started with
 * `pg_ctl` on a free port on 127.0.0.1 (as the `postgres` user when the tests run as root, since
 * PostgreSQL refuses to run as root), stopped and deleted afterwards. Where no binaries exist,
 * `startPostgres` resolves with the reason, which the tests print when they skip.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

const BIN_DIRS = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"]

/** A running server. */
export interface TestPostgres {
  readonly url: string
  /** A fresh database on the server, by name. */
  readonly database: (name: string) => string
  readonly stop: () => void
}

/** A port on 127.0.0.1 nothing listens on (bound, then closed). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

/** Starts a server, or resolves with why it cannot. */
export const startPostgres = async (): Promise<TestPostgres | string> => {
  const bin = BIN_DIRS.find((d) => existsSync(join(d, "initdb")))
  if (bin === undefined) return `no PostgreSQL binaries in ${BIN_DIRS.join(", ")} (install the postgresql package)`
  const root = process.getuid?.() === 0
  const as = (cmd: string, args: ReadonlyArray<string>) => (root ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args]) as [string, Array<string>]
  if (root && spawnSync("id", ["postgres"]).status !== 0) return "running as root and there is no postgres user to run PostgreSQL as"
  const dir = mkdtempSync(join(tmpdir(), "attach-planner-pg-"))
  if (root) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim())
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim())
    chownSync(dir, uid, gid)
  }
  const data = join(dir, "data")
  const port = await freePort()
  const run = (cmd: string, args: ReadonlyArray<string>) => {
    const [c, a] = as(join(bin, cmd), args)
    const r = spawnSync(c, a, { encoding: "utf8" })
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`)
  }
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
  run("pg_ctl", [
    "-D", data, "-l", join(dir, "log"), "-w", "-t", "60",
    "-o", `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
    "start"
  ])
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`
  const stop = () => {
    try {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const database = (name: string) => {
    run("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", name])
    return `postgres://postgres@127.0.0.1:${port}/${name}`
  }
  return { url, database, stop }
}
