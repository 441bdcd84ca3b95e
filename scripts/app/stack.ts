/**
 * The app's local stack: a chain with Ballast deployed and seeded, the indexer (Ponder) and the built app served
 * by `vite preview`, with /config.json and the reports written next to the built files. Used by `npm run app`
 * and the e2e suite.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { childEnv, waitForRpc } from "../lib/deploy-node";
import type { Deployment } from "../lib/deploy-output";

export interface Service {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns a long-running child in its own process group (so stop() ends npx and what it started). */
export function spawnService(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  log: string,
): ChildProcess {
  const out = fs.openSync(log, "w");
  return spawn(cmd, args, { cwd, env: childEnv(env), stdio: ["ignore", out, out], detached: true });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // already gone
  }
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
}

/** Polls `url` until it answers 2xx; rejects after `timeoutMs` or when `child` exits (with its log's tail). */
export async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode}):\n${tail(log)}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer in ${timeoutMs} ms:\n${tail(log)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

function tail(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").slice(-15).join("\n") : "";
}

/** Starts the indexer on `port` for the deployment file; `dbDir` holds its PGlite database (fresh per chain). */
export async function startIndexer(
  root: string,
  o: { port: number; rpcUrl: string; deploymentFile: string; dbDir: string; log: string },
): Promise<Service> {
  const env: Record<string, string> = {
    BALLAST_DEPLOYMENT: o.deploymentFile,
    BALLAST_RPC_URL: o.rpcUrl,
    BALLAST_PGLITE_DIR: o.dbDir,
  };
  const cwd = path.join(root, "indexer");
  const child = spawnService(
    "npx",
    ["ponder", "start", "--port", String(o.port), "--schema", "ballast"],
    cwd,
    env,
    o.log,
  );
  const url = `http://127.0.0.1:${o.port}`;
  await waitForHttp(`${url}/ready`, 180_000, child, o.log);
  return { url, child, stop: () => stopChild(child) };
}

/** Builds the app (unless `build` is false and a build exists); resolves when `vite build` is done. */
export async function buildApp(root: string, build: boolean): Promise<void> {
  const dist = path.join(root, "app", "dist", "index.html");
  if (!build && fs.existsSync(dist)) return;
  const child = spawn("npx", ["vite", "build"], { cwd: path.join(root, "app"), stdio: "inherit", env: childEnv() });
  const code = await new Promise<number | null>((r) => child.on("exit", r));
  if (code !== 0) throw new Error(`vite build failed (${code})`);
}

/** Writes /config.json and copies the crash and stress reports into the built app. */
export function writeRuntime(root: string, cfg: { rpcUrl: string; indexerUrl: string; deployment: Deployment }): void {
  const dist = path.join(root, "app", "dist");
  const reportsOut = path.join(dist, "reports");
  fs.mkdirSync(reportsOut, { recursive: true });
  const reportsIn = path.join(root, "reports");
  const reports = fs.existsSync(reportsIn)
    ? fs
        .readdirSync(reportsIn)
        .filter((f) => /^(crash|stress|frontier)-.*\.json$/.test(f))
        .sort()
    : [];
  for (const f of reports) fs.copyFileSync(path.join(reportsIn, f), path.join(reportsOut, f));
  fs.writeFileSync(path.join(dist, "config.json"), JSON.stringify({ ...cfg, reports }, null, 2));
}

/** Serves the built app with `vite preview` on `port`. */
export async function serveApp(root: string, port: number, log: string): Promise<Service> {
  const args = ["vite", "preview", "--host", "127.0.0.1", "--port", String(port), "--strictPort"];
  const child = spawnService("npx", args, path.join(root, "app"), {}, log);
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(`${url}config.json`, 60_000, child, log);
  return { url, child, stop: () => stopChild(child) };
}

/** Whether a Ballast core is deployed at the deployment's address on `rpcUrl`. */
export async function deployed(rpcUrl: string, d: Deployment | undefined): Promise<boolean> {
  if (!d?.contracts.BallastCore) return false;
  const chainId = await waitForRpc(rpcUrl, 5_000).catch(() => 0);
  if (chainId !== d.chainId) return false;
  const res = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getCode", params: [d.contracts.BallastCore, "latest"] }),
  });
  const body = (await res.json()) as { result?: string };
  return !!body.result && body.result !== "0x";
}
