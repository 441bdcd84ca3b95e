/**
 * The localhost path against a real Hardhat node started by the test: `npx hardhat node` on a free port of
 * 127.0.0.1, `scripts/deploy.ts --network localhost` (what `npm run deploy:local` runs), a view read over
 * JSON-RPC, an operator task over the same node, then the node is stopped.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider } from "ethers";
import { freePort, startNode, runScript, type LocalNode } from "../../scripts/lib/deploy-node";
import { readDeployment } from "../../scripts/lib/deploy-output";
import { BallastCore__factory, BallastLens__factory } from "../../typechain-types";
import { DEFAULT_ADMIN_ROLE } from "../../deploy/modules/Ballast";

const ROOT = path.resolve(__dirname, "..", "..");

describe("Local node deployment (localhost path)", function () {
  let node: LocalNode | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ballast-node-test-"));

  before(async function () {
    node = await startNode(ROOT, await freePort());
  });
  after(async function () {
    await node?.stop();
    if (node)
      fs.rmSync(path.join(ROOT, "deploy", "deployments", `localhost-test-${node.port}`), {
        recursive: true,
        force: true,
      });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("deploys to a running node, writes deployments/localhost.json and serves views", async function () {
    const url = node!.url;
    const run = await runScript(ROOT, "scripts/deploy.ts", url, {
      BALLAST_DEPLOYMENTS_DIR: dir,
      BALLAST_SEED: "1",
      BALLAST_QUIET: "1",
      BALLAST_IGNITION_ID: `localhost-test-${node!.port}`,
    });
    expect(run.code, run.output).to.equal(0);
    expect(run.output).to.contain("Ballast on localhost (chain id 31337)");
    const d = readDeployment("localhost", dir);
    expect(d.chainId).to.equal(31337);

    const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true });
    const core = BallastCore__factory.connect(d.contracts.BallastCore!, provider);
    expect(await core.marketCount()).to.equal(2n);
    expect(await core.hasRole(DEFAULT_ADMIN_ROLE, d.contracts.TimelockController!)).to.equal(true);
    expect(await core.hasRole(DEFAULT_ADMIN_ROLE, d.deployer)).to.equal(false);
    const lens = BallastLens__factory.connect(d.contracts.BallastLens!, provider);
    const m = await lens.market(1);
    expect(m.loanToken).to.equal(d.contracts.USDC);
    expect(m.totalSupplyAssets).to.be.greaterThanOrEqual(500_000n * 10n ** 6n); // seeded supplier
    expect(m.loanOracle.valid).to.equal(true);
    provider.destroy();

    const task = await runTask(["ballast:markets", "--network", "localhost"], url, dir);
    expect(task.code, task.output).to.equal(0);
    expect(task.output).to.match(/1\s+USDC\s+500,000\.\d\d/);
  });
});

async function runTask(args: string[], url: string, dir: string) {
  const { spawn } = await import("node:child_process");
  const { childEnv } = await import("../../scripts/lib/deploy-node");
  return new Promise<{ code: number; output: string }>((resolve, reject) => {
    const child = spawn("npx", ["hardhat", ...args], {
      cwd: ROOT,
      env: childEnv({ LOCALHOST_RPC_URL: url, BALLAST_DEPLOYMENTS_DIR: dir }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (b: Buffer) => (output += b.toString()));
    child.stderr.on("data", (b: Buffer) => (output += b.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code: code ?? 1, output }));
  });
}
