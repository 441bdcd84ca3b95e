/**
 * Child-process helpers for a local Hardhat node: start `npx hardhat node` on a port, wait until it answers,
 * run a Hardhat script against it, and stop it. Used by `npm run node` and by the tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";

/** The environment for a child Hardhat process: no fork of mainnet, no inherited network selection. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.HARDHAT_NETWORK;
  delete env.MAINNET_RPC_URL; // the embedded network would fork mainnet otherwise
  return env;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Whether something already listens on 127.0.0.1:`port`. */
export async function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "EADDRINUSE" || e.code === "EACCES"));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(false)));
  });
}

/** Resolves once `url` answers eth_chainId, with the chain id; rejects after `timeoutMs`. */
export async function waitForRpc(url: string, timeoutMs = 60_000, child?: ChildProcess): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`the node exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      const body = (await res.json()) as { result?: string };
      if (body.result) return Number(body.result);
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`no JSON-RPC answer at ${url} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface LocalNode {
  url: string;
  port: number;
  chainId: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** A fork rehearsal: the node forks `fork` (at `forkBlock`) and serves `chainId` (BALLAST_CHAIN_ID). */
export interface NodeOptions {
  fork?: string;
  forkBlock?: number;
  chainId?: number;
}

/** Starts `npx hardhat node` on 127.0.0.1:`port` (its output goes to `logFile`, or is dropped). */
export async function startNode(
  cwd: string,
  port: number,
  logFile?: string,
  opts: NodeOptions = {},
): Promise<LocalNode> {
  const out = logFile ? fs.openSync(logFile, "w") : "ignore";
  const args = ["hardhat", "node", "--hostname", "127.0.0.1", "--port", String(port)];
  if (opts.fork) args.push("--fork", opts.fork);
  if (opts.forkBlock !== undefined) args.push("--fork-block-number", String(opts.forkBlock));
  const child = spawn("npx", args, {
    cwd,
    env: childEnv(opts.chainId !== undefined ? { BALLAST_CHAIN_ID: String(opts.chainId) } : {}),
    stdio: ["ignore", out, out],
    detached: process.platform !== "win32", // its own process group, so stop() ends npx and hardhat together
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    try {
      process.kill(process.platform !== "win32" ? -child.pid : child.pid, "SIGTERM");
    } catch {
      // already gone
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  };
  try {
    const chainId = await waitForRpc(url, 90_000, child);
    return { url, port, chainId, child, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Runs `npx hardhat run <script> --network localhost` against `url`; resolves with its exit code and output. */
export async function runScript(
  cwd: string,
  script: string,
  url: string,
  env: Record<string, string> = {},
  inherit = false,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["hardhat", "run", script, "--network", "localhost"], {
      cwd,
      env: childEnv({ LOCALHOST_RPC_URL: url, ...env }),
      stdio: inherit ? "inherit" : ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code: code ?? 1, output }));
  });
}
