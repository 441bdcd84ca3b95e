/**
 * What an operator meets when the network or the deployer is wrong, each as one line and exit code 1: an RPC that
 * does not answer or is not set (deploy and tasks name the variable), a malformed key that breaks only the networks
 * using it, a local node serving a public chain id (the deploy picks that network's config), and Etherscan
 * verification showing each failure's cause.
 */
import { expect } from "chai";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { configForChain } from "../../deploy/config";
import { freePort } from "../../scripts/lib/deploy-node";
import { readDeployment } from "../../scripts/lib/deploy-output";
import { seededNode, run, hardhat, errLines } from "../helpers/local-node";

const KEY = "0x" + "11".repeat(32);
const GOVERNANCE = {
  BALLAST_PROPOSERS: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  BALLAST_RISK_ADMINS: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  BALLAST_GUARDIANS: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
};

describe("Operator errors: unreachable or unset RPCs, fork chain ids, verification causes", function () {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ballast-operator-test-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("ballast:* tasks name the RPC variable when the node does not answer or the URL is not set", async function () {
    const { dir: live } = await seededNode();
    const d = readDeployment("localhost", live);
    fs.writeFileSync(path.join(dir, "localhost.json"), JSON.stringify(d));
    fs.writeFileSync(path.join(dir, "sepolia.json"), JSON.stringify({ ...d, network: "sepolia", chainId: 11155111 }));
    const dead = `http://127.0.0.1:${await freePort()}`;
    // a malformed DEPLOYER_PRIVATE_KEY breaks only the networks that sign with it, never localhost
    const env = { BALLAST_DEPLOYMENTS_DIR: dir, LOCALHOST_RPC_URL: dead, DEPLOYER_PRIVATE_KEY: "0x12" };
    const r = await hardhat(["ballast:markets", "--network", "localhost"], env);
    expect(r.code).to.equal(1);
    expect(errLines(r.stderr)).to.deep.equal([
      `Error: Cannot reach the localhost RPC at ${dead} (LOCALHOST_RPC_URL): is the node running, and is LOCALHOST_RPC_URL right?`,
    ]);
    const unset = await hardhat(["ballast:solvency", "--market", "1", "--network", "sepolia"], {
      BALLAST_DEPLOYMENTS_DIR: dir,
    });
    expect(unset.code).to.equal(1);
    expect(errLines(unset.stderr)).to.deep.equal([
      "Error: SEPOLIA_RPC_URL is not set: the RPC URL of sepolia (e.g. SEPOLIA_RPC_URL=https://...)",
    ]);
  });

  it("the deploy script names SEPOLIA_RPC_URL when it does not answer (HH108), in one line, sending nothing", async function () {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const r = await hardhat(["run", "scripts/deploy.ts", "--network", "sepolia"], {
      ...GOVERNANCE,
      SEPOLIA_RPC_URL: dead,
      DEPLOYER_PRIVATE_KEY: KEY,
      BALLAST_DEPLOYMENTS_DIR: dir,
    });
    expect(r.code).to.equal(1);
    expect(errLines(r.stderr)).to.deep.equal([
      `Cannot reach the sepolia RPC at ${dead} (SEPOLIA_RPC_URL): is the node running, and is SEPOLIA_RPC_URL right? Nothing was sent.`,
    ]);
  });

  it("a local node serving chain 1 deploys the mainnet config; other chain ids are refused by name", function () {
    expect(configForChain("localhost", 31337).network).to.equal("localhost");
    expect(configForChain("localhost", 1).network).to.equal("mainnet");
    expect(configForChain("localhost", 11155111).network).to.equal("sepolia");
    expect(configForChain("sepolia", 11155111).network).to.equal("sepolia");
    expect(() => configForChain("localhost", 5)).to.throw(
      "No Ballast deploy config for chain 5 on localhost: the local node serves chain 5, and only 31337 (local), " +
        "1 (mainnet) and 11155111 (sepolia) have one",
    );
  });

  it("npm run node -- --chain-id 1 serves chain 1 and deploys deploy/config/mainnet.ts (refused here: no mainnet tokens)", async function () {
    const port = await freePort();
    const r = await run("npm", ["run", "--silent", "node", "--", "--chain-id", "1"], {
      ...GOVERNANCE,
      BALLAST_NODE_PORT: String(port),
      BALLAST_DEPLOYMENTS_DIR: dir,
    });
    expect(r.code, r.stdout + r.stderr).to.equal(1);
    expect(r.stdout).to.contain("The node serves chain id 1: deploying that network's config.");
    // The mainnet config's on-chain checks ran against chain 1: its USDC is not on this empty chain.
    expect(r.stderr).to.contain('Invalid Ballast deploy config for "mainnet" (nothing was sent)');
    expect(r.stderr).to.contain("asset USDC: no contract at token address 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
    expect(r.stderr).to.contain("Deployment failed: stopping the node.");
    const bad = await run("npm", ["run", "--silent", "node", "--", "--chain-id", "abc"], {
      BALLAST_NODE_PORT: String(port),
    });
    expect(bad.code).to.equal(1);
    expect(errLines(bad.stderr)).to.deep.equal([
      "error: option '--chain-id <n>' argument 'abc' is invalid. --chain-id must be a positive integer",
    ]);
  });

  it("npm run verify prints each contract's failure with the explorer's reason and exits 1", async function () {
    const { node, env } = await seededNode();
    const explorer = http.createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ status: "0", message: "NOTOK", result: "Invalid API Key (#err2)|1" }));
    });
    const port = await freePort();
    await new Promise<void>((r) => explorer.listen(port, "127.0.0.1", () => r()));
    try {
      const args = ["--network", "localhost", "--deployment-id", `localhost-test-${node.port}`];
      const r = await run(
        "npm",
        ["run", "--silent", "verify", "--", ...args, "--api-url", `http://127.0.0.1:${port}`],
        {
          ...env,
          ETHERSCAN_API_KEY: "test",
        },
      );
      expect(r.code, r.stdout + r.stderr).to.equal(1);
      const core = readDeployment("localhost", env.BALLAST_DEPLOYMENTS_DIR).contracts.BallastCore!;
      expect(r.stdout, r.stdout + r.stderr).to.match(new RegExp(`BallastCore ${core}: FAILED .*Invalid API Key`));
      expect(r.stdout).not.to.contain("Verification failed. Please run");
    } finally {
      explorer.close();
    }
  });
});
