/**
 * The entry of a worker thread whose module sits next to its pool: `NAME.js` in `dist/`; when the
 * sources run through tsx (`npm run cli`), `NAME.ts` started by a small script that first
 * registers tsx in the worker, because tsx's loader hooks do not carry over to worker threads.
 *
 * @example
 * const { entry, eval: isScript } = workerEntry(import.meta.url, "jsonlWorker")
 * new Worker(entry, { eval: isScript })
 */
export const workerEntry = (poolUrl: string, name: string): { readonly entry: URL | string; readonly eval: boolean } => {
  if (!poolUrl.endsWith(".ts")) return { entry: new URL(`./${name}.js`, poolUrl), eval: false }
  const worker = new URL(`./${name}.ts`, poolUrl).href
  const tsx = import.meta.resolve("tsx/esm/api")
  return { entry: `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}) })`, eval: true }
}
