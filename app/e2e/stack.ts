/**
 * The e2e suite's stack: a fresh Hardhat node on a free port with Ballast deployed and seeded (deployment file in a
 * temporary folder, never the repository's), the indexer on a fresh PGlite database, the built app served by
 * `vite preview`, and Debian's Chromium driven by playwright-core.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { spawn } from "node:child_process";
import { childEnv, freePort, runScript, startNode, type LocalNode } from "../../scripts/lib/deploy-node";
import { readDeployment, type Deployment } from "../../scripts/lib/deploy-output";
import { buildApp, serveApp, startIndexer, writeRuntime, type Service } from "../../scripts/app/stack";

/** Chromium flags for this machine's closed network (see README: e2e). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Stack {
  root: string;
  tmp: string;
  node: LocalNode;
  deployment: Deployment;
  deploymentsDir: string;
  indexer: Service;
  app: Service;
  browser: Browser;
  stop(): Promise<void>;
}

const t0 = Date.now();
const step = (what: string) => console.log(`      [stack] ${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);

export async function startStack(): Promise<Stack> {
  const root = process.cwd();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ballast-e2e-"));
  const stops: (() => Promise<unknown>)[] = []; // what is running, to stop in reverse order (also on a failure)
  const stop = async () => {
    for (const f of stops.reverse()) await f().catch(() => undefined);
  };
  try {
    const built = buildApp(root, process.env.E2E_REBUILD !== "0"); // in parallel with the chain's setup
    built.catch(() => undefined); // awaited below
    const node = await startNode(root, await freePort(), path.join(tmp, "node.log"));
    stops.push(node.stop);
    const env = { BALLAST_SEED: "1", BALLAST_QUIET: "1", BALLAST_DEPLOYMENTS_DIR: tmp };
    const dep = await runScript(root, "scripts/deploy.ts", node.url, env);
    if (dep.code !== 0) throw new Error(`deployment failed:\n${dep.output.slice(-2000)}`);
    step("node up, Ballast deployed and seeded");
    const deployment = readDeployment("localhost", tmp);
    const indexer = await startIndexer(root, {
      port: await freePort(),
      rpcUrl: node.url,
      deploymentFile: path.join(tmp, "localhost.json"),
      dbDir: path.join(tmp, "pglite"),
      log: path.join(tmp, "indexer.log"),
    });
    stops.push(indexer.stop);
    step("indexer ready");
    await built;
    writeRuntime(root, { rpcUrl: node.url, indexerUrl: indexer.url, deployment });
    const app = await serveApp(root, await freePort(), path.join(tmp, "app.log"));
    stops.push(app.stop);
    step("app built and served");
    const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    stops.push(() => browser.close());
    return { root, tmp, node, deployment, deploymentsDir: tmp, indexer, app, browser, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Runs a Hardhat task against the stack's node, failing with its output. */
export async function hardhatTask(s: Stack, args: string[]): Promise<string> {
  const env = { LOCALHOST_RPC_URL: s.node.url, BALLAST_DEPLOYMENTS_DIR: s.deploymentsDir };
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["hardhat", ...args, "--network", "localhost"], {
      cwd: s.root,
      env: childEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`hardhat ${args.join(" ")}: ${code}\n${out}`)),
    );
  });
}

/** One tick of the keeper service (keeper/cli.ts) over market 1 of the stack's deployment, in inventory mode. */
export async function runKeeperOnce(s: Stack): Promise<{ code: number; output: string }> {
  const args = ["ts-node", "--transpile-only", "scripts/keeper.ts", "--rpc", s.node.url, "--once"];
  args.push("--deployment", path.join(s.deploymentsDir, "localhost.json"), "--market", "1", "--mode", "inventory");
  return new Promise((resolve, reject) => {
    const child = spawn("npx", args, { cwd: s.root, env: childEnv({}), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code: code ?? 1, output }));
  });
}
