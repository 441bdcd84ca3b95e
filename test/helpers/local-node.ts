/**
 * One seeded local node for every test file that needs one (node.test.ts, the keeper service test...): started and
 * deployed (`scripts/deploy.ts --network localhost` with BALLAST_SEED=1, what `npm run node` runs) on first use,
 * stopped after the whole run by a root hook. Deployments go to a temporary folder, never the repository's.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { freePort, startNode, runScript, childEnv, type LocalNode } from "../../scripts/lib/deploy-node";

export const ROOT = path.resolve(__dirname, "..", "..");

export interface SeededNode {
  node: LocalNode;
  /** The deployments folder (BALLAST_DEPLOYMENTS_DIR) holding localhost.json. */
  dir: string;
  /** The deploy script's exit code and output. */
  deploy: { code: number; output: string };
  /** Environment pointing a child process at this node and folder. */
  env: Record<string, string>;
}

let shared: Promise<SeededNode> | undefined;

/** The shared seeded node (started on the first call). */
export function seededNode(): Promise<SeededNode> {
  shared ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ballast-node-test-"));
    const node = await startNode(ROOT, await freePort());
    const env = { LOCALHOST_RPC_URL: node.url, BALLAST_DEPLOYMENTS_DIR: dir };
    const deploy = await runScript(ROOT, "scripts/deploy.ts", node.url, {
      ...env,
      BALLAST_SEED: "1",
      BALLAST_QUIET: "1",
      BALLAST_IGNITION_ID: `localhost-test-${node.port}`,
    });
    return { node, dir, deploy, env };
  })();
  return shared;
}

after(async function () {
  if (!shared) return;
  const s = await shared.catch(() => undefined);
  if (!s) return;
  await s.node.stop();
  fs.rmSync(path.join(ROOT, "deploy", "deployments", `localhost-test-${s.node.port}`), {
    recursive: true,
    force: true,
  });
  fs.rmSync(s.dir, { recursive: true, force: true });
});

/** Runs `cmd args` in `cwd` (default: the repository) with `env`; resolves with its exit code and its stdout and stderr. */
export function run(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
  cwd: string = ROOT,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: childEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** `npx hardhat args` in the repository with `env`. */
export const hardhat = (args: string[], env: Record<string, string>) => run("npx", ["hardhat", ...args], env);

/** stderr without Node's own warnings: the lines a person reads. */
export const errLines = (stderr: string) =>
  stderr
    .trim()
    .split("\n")
    .filter((l) => l && !l.includes("ExperimentalWarning"));
