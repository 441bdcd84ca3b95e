/**
 * The fork code path itself, offline: a local `hardhat node` runs the mainnet replica (tokens, feed proxies and
 * Uniswap v3 at their real addresses), and this chain forks it at a pinned block (as FORK_BLOCK pins a mainnet
 * fork), then deploys through Ignition with deploy/config/mainnet.ts and replays one episode's window through the
 * pools. Logs are read from the deployment's block, never from block 0.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { reset } from "@nomicfoundation/hardhat-network-helpers";
import { spawn, type ChildProcess } from "child_process";
import net from "net";
import path from "path";
import { MAINNET, installReplica, installUniswapReplica, mainnetUniswap } from "../../../replay/mainnet";
import { forkWorld } from "./world";
import { runForkEpisode } from "./episode";
import { usdcMarket } from "./markets";
import { describeOutcome } from "./outcome";
import { expectEpisode } from "./expect-episode";
import type { ForkWindow } from "./prices";

/** The steepest two hours of oct2025 (ETH -21%, BTC -16% by 21:22). */
const NODE_WINDOW: ForkWindow = { from: "2025-10-10T20:00:00Z", to: "2025-10-10T22:00:00Z" };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function waitForNode(url: string, child: ChildProcess, ms: number): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited with ${child.exitCode}`);
    try {
      const r = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (r.ok) return;
    } catch {
      if (Date.now() - t0 > ms) throw new Error("hardhat node did not start");
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Starts `hardhat node` (never forking anything itself) on a free port. */
async function startNode(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...process.env };
  delete env.MAINNET_RPC_URL;
  const cli = require.resolve("hardhat/internal/cli/cli");
  const child = spawn(process.execPath, [cli, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: path.resolve(__dirname, "..", "..", ".."),
    env,
    stdio: "ignore",
  });
  await waitForNode(url, child, 120_000);
  return { url, child };
}

describe("scenario: fork: the fork code path against a local node running the replica", function () {
  after(async function () {
    await reset();
  });

  it("forks the node at a pinned block, deploys through Ignition and replays the steepest two hours of oct2025 through the pools", async function () {
    const { url, child } = await startNode();
    try {
      const node = new ethers.JsonRpcProvider(url, undefined, { staticNetwork: true });
      const signer = await node.getSigner(0);
      const nodeRpc = { send: (m: string, p: unknown[]) => node.send(m, p) };
      await installReplica(nodeRpc, signer);
      await installUniswapReplica(nodeRpc, signer);
      await node.send("evm_mine", []); // state set after the last mined block is not in any block a fork can pin
      const pinned = Number(await node.send("eth_blockNumber", [])); // not ethers' cached block number
      await reset(url, pinned);
      await network.provider.request({ method: "evm_mine", params: [] }); // a fork of a local node needs one block first
      expect(await ethers.provider.getCode(MAINNET.tokens.USDC.address)).to.not.equal("0x");
      for (const a of Object.values(mainnetUniswap())) expect(await ethers.provider.getCode(a)).to.not.equal("0x");
      const w = await forkWorld({ replica: true, install: false });
      expect(w.record.block).to.be.greaterThan(pinned);
      // Every read of state the fork has not written yet goes to the node: a shorter window and two borrowers.
      const o = await runForkEpisode(w, usdcMarket(w), "oct2025", NODE_WINDOW, { borrowers: 2 });
      console.log(`      fork of a node: ${describeOutcome(o)}`);
      expectEpisode(o, w.replica);
    } finally {
      child.kill();
    }
  });
});
