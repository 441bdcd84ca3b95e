/**
 * `npm run app`: the reference dApp on a local chain, from a fresh clone. Uses the node at LOCALHOST_RPC_URL
 * (default http://127.0.0.1:8545) if one answers, else starts one with `npm run node` (deploy, seed, fresh
 * prices); deploys and seeds a running node that has no Ballast yet; then starts the indexer and serves the built
 * app, and prints its URL. Ports: BALLAST_APP_PORT (5173), BALLAST_INDEXER_PORT (42069). Ctrl-C stops what it
 * started.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runScript, waitForRpc } from "./lib/deploy-node";
import { deploymentFile, type Deployment } from "./lib/deploy-output";
import { buildApp, deployed, serveApp, spawnService, startIndexer, stopChild, writeRuntime } from "./app/stack";

const root = process.cwd();
const rpcUrl = process.env.LOCALHOST_RPC_URL ?? "http://127.0.0.1:8545";
const dir = path.join(root, "deployments");
const file = deploymentFile("localhost", dir);
const read = (): Deployment | undefined =>
  fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Deployment) : undefined;
const log = (name: string) => path.join(os.tmpdir(), `ballast-app-${name}.log`);
const stops: (() => Promise<void>)[] = [];

async function ensureChain(): Promise<Deployment> {
  const up = await waitForRpc(rpcUrl, 2_000).then(
    () => true,
    () => false,
  );
  if (!up) {
    const port = new URL(rpcUrl).port || "8545";
    console.log(`No node at ${rpcUrl}: starting one with \`npm run node\` (its log: ${log("node")}) ...`);
    if (fs.existsSync(file)) fs.rmSync(file);
    const node = spawnService("npm", ["run", "node"], root, { BALLAST_NODE_PORT: port }, log("node"));
    stops.push(() => stopChild(node));
    const deadline = Date.now() + 600_000;
    const ready = () =>
      fs.existsSync(log("node")) && fs.readFileSync(log("node"), "utf8").includes("Ballast local node ready");
    while (!ready() || !(await deployed(rpcUrl, read()))) {
      if (node.exitCode !== null) throw new Error(`npm run node exited (${node.exitCode}); see ${log("node")}`);
      if (Date.now() > deadline) throw new Error(`no deployment after 10 min; see ${log("node")}`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  } else if (!(await deployed(rpcUrl, read()))) {
    console.log(`Node at ${rpcUrl} has no Ballast: deploying and seeding ...`);
    const r = await runScript(root, "scripts/deploy.ts", rpcUrl, { BALLAST_SEED: "1", BALLAST_QUIET: "1" }, true);
    if (r.code !== 0) throw new Error("deployment failed");
  }
  return read()!;
}

async function main(): Promise<void> {
  const shutdown = async (code: number) => {
    for (const s of stops.reverse()) await s();
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  try {
    const d = await ensureChain();
    const key = crypto
      .createHash("sha256")
      .update(`${d.chainId}:${d.block}:${d.deployedAt}:${d.contracts.BallastCore}`)
      .digest("hex")
      .slice(0, 12);
    console.log("Starting the indexer ...");
    const indexer = await startIndexer(root, {
      port: Number(process.env.BALLAST_INDEXER_PORT ?? 42069),
      rpcUrl,
      deploymentFile: file,
      dbDir: path.join(root, "indexer", ".ponder", `pglite-${key}`),
      log: log("indexer"),
    });
    stops.push(indexer.stop);
    console.log("Building the app ...");
    await buildApp(root, process.env.BALLAST_APP_REBUILD !== "0");
    writeRuntime(root, { rpcUrl, indexerUrl: indexer.url, deployment: d });
    const app = await serveApp(root, Number(process.env.BALLAST_APP_PORT ?? 5173), log("app"));
    stops.push(app.stop);
    console.log(`
Ballast app ready: ${app.url}
  chain ${rpcUrl} (chain id ${d.chainId}), indexer ${indexer.url} (GraphQL ${indexer.url}/graphql)
  Connect MetaMask to the node, or use the local-only test wallet (Hardhat's public accounts) in the header.
  Logs: ${log("indexer")}, ${log("app")}. Press Ctrl-C to stop.`);
  } catch (e) {
    console.error((e as Error).message);
    await shutdown(1);
  }
}

void main();
