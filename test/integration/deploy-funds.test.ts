/**
 * An under-funded deployer against a real local node: the deploy measures the whole deployment's gas by a dry run
 * and refuses before sending anything; and a deployment that did run out of ETH half-way (the check skipped)
 * resumes with the same command once the deployer is funded, instead of stopping with IGN411. A config reading
 * existing tokens and feeds (mainnet's, Sepolia's) is measured on a fork of the network (here, of the local node).
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider, parseEther, toQuantity } from "ethers";
import { freePort, startNode, type LocalNode } from "../../scripts/lib/deploy-node";
import { readDeployment } from "../../scripts/lib/deploy-output";
import { run, errLines, ROOT } from "../helpers/local-node";
import hre from "hardhat";
import { configFor, type NetworkDeployConfig } from "../../deploy/config";
import { measureDeploymentGas } from "../../scripts/lib/deploy-gas";
import { timelockArtifact } from "../../scripts/lib/deploy-ballast";

const DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"; // the node's account #0

describe("Deploy: a deployer that cannot pay the whole deployment", function () {
  let node: LocalNode;
  let provider: JsonRpcProvider;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ballast-funds-test-"));
  let id = "";
  const deploy = (extra: Record<string, string> = {}) =>
    run("npm", ["run", "--silent", "deploy:local"], {
      LOCALHOST_RPC_URL: node.url,
      BALLAST_DEPLOYMENTS_DIR: dir,
      BALLAST_IGNITION_ID: id,
      BALLAST_QUIET: "1",
      ...extra,
    });
  const setBalance = (eth: string) =>
    provider.send("hardhat_setBalance", [DEPLOYER, toQuantity(parseEther(eth))]) as Promise<unknown>;

  before(async function () {
    node = await startNode(ROOT, await freePort());
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    id = `localhost-funds-test-${node.port}`;
  });
  after(async function () {
    provider.destroy();
    await node.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(path.join(ROOT, "deploy", "deployments", id), { recursive: true, force: true });
  });

  it("refuses in one line, naming the balance, the measured gas and the fee; nothing is sent", async function () {
    await setBalance("0.01");
    const r = await deploy();
    expect(r.code, r.stdout + r.stderr).to.equal(1);
    const lines = errLines(r.stderr);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(
      new RegExp(
        `^The deployer ${DEPLOYER} holds 0\\.01 ETH on localhost; the whole deployment needs about ` +
          `(\\d{2},\\d{3},\\d{3}) gas x [\\d.]+ gwei = [\\d.]+ ETH \\(measured by a dry run\\)\\. Send it at least ` +
          `[\\d.]+ ETH more, then run the same command again\\. Nothing was sent\\.$`,
      ),
    );
    const gas = Number(/about ([\d,]+) gas/.exec(lines[0]!)![1]!.replace(/,/g, ""));
    expect(gas).to.be.within(20_000_000, 35_000_000);
    expect(await provider.getTransactionCount(DEPLOYER)).to.equal(0);
    expect(fs.existsSync(path.join(dir, "localhost.json"))).to.equal(false);
  });

  it("a deployment that ran out of ETH half-way resumes with the same command once funded (no IGN411)", async function () {
    await setBalance("0.01");
    const broke = await deploy({ BALLAST_FUNDS_CHECK: "0", BALLAST_RESUME: "1" });
    expect(broke.code, broke.stdout + broke.stderr).to.equal(1);
    const sent = await provider.getTransactionCount(DEPLOYER);
    expect(sent).to.be.greaterThan(0); // some contracts went out before the ETH ran out
    const journal = fs.readFileSync(path.join(ROOT, "deploy", "deployments", id, "journal.jsonl"), "utf8");
    expect(journal).to.contain(`"type":"TRANSACTION_PREPARE_SEND"`);
    // Without the repair (the check is what repairs), Ignition's resume is stuck on the lost transaction.
    await setBalance("100");
    const stuck = await deploy({ BALLAST_FUNDS_CHECK: "0", BALLAST_RESUME: "1" });
    expect(stuck.code).to.equal(1);
    expect(stuck.stdout + stuck.stderr).to.contain("IGN411");
    expect(await provider.getTransactionCount(DEPLOYER)).to.equal(sent);

    const resumed = await deploy({ BALLAST_RESUME: "1" });
    expect(resumed.code, resumed.stdout + resumed.stderr).to.equal(0);
    const d = readDeployment("localhost", dir);
    expect(await provider.getCode(d.contracts.BallastCore!)).to.not.equal("0x");
    // The contracts of the first attempt were kept, not deployed again: the first ones sent are at nonces 0...
    const { getCreateAddress } = await import("ethers");
    expect(Object.values(d.contracts)).to.include(getCreateAddress({ from: DEPLOYER, nonce: 0 }));
    // Run again: the journal says everything is done, so nothing is sent and the start block (the core's creation
    // block, where indexers start) is kept.
    const after = await provider.getTransactionCount(DEPLOYER);
    const again = await deploy({ BALLAST_RESUME: "1" });
    expect(again.code, again.stdout + again.stderr).to.equal(0);
    expect(await provider.getTransactionCount(DEPLOYER)).to.equal(after);
    expect(readDeployment("localhost", dir).block).to.equal(d.block);
    expect(readDeployment("localhost", dir).contracts.BallastCore).to.equal(d.contracts.BallastCore);
  });

  it("a config of existing tokens and feeds is measured on a fork of the network: only Ballast's contracts count", async function () {
    const d = readDeployment("localhost", dir); // the deployment the resume above completed
    const local = configFor("localhost");
    const existing: NetworkDeployConfig = {
      ...local,
      assets: local.assets.map((a) => ({
        ...a,
        token: { kind: "existing", address: d.contracts[a.symbol]!, decimals: a.token.decimals },
        feed: { kind: "existing", address: d.contracts[`${a.symbol}PriceFeed`]!, decimals: 8, heartbeat: 3600 },
      })),
    };
    const nonce = await provider.getTransactionCount(DEPLOYER);
    const artifact = await timelockArtifact(hre);
    const forked = await measureDeploymentGas(hre, existing, DEPLOYER, artifact, node.url);
    const whole = await measureDeploymentGas(hre, local, DEPLOYER, artifact);
    // The three test tokens and three mock feeds are read on the fork, not deployed: over a million gas less.
    expect(forked).to.be.greaterThan(15_000_000n);
    expect(whole - forked).to.be.greaterThan(1_000_000n);
    await expect(measureDeploymentGas(hre, existing, DEPLOYER, artifact)).to.be.rejectedWith(
      "measuring this deployment's gas needs the network's RPC URL",
    );
    expect(await provider.getTransactionCount(DEPLOYER)).to.equal(nonce); // the dry run sent nothing to the node
  });
});
