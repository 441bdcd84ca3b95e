/**
 * Forked mainnet: real WETH, WBTC, USDC and USDT and the real Chainlink ETH/USD, BTC/USD, USDC/USD and USDT/USD
 * proxies, taken over (impersonated owner -> replay aggregator) so the protocol reads the real proxy addresses.
 *
 * - With MAINNET_RPC_URL (and optional FORK_BLOCK): hardhat.config.ts forks mainnet; this file runs on it.
 * - Without it (CI): an offline mainnet replica at the same addresses (hardhat_setCode + storage writes), and the
 *   fork code path itself is exercised by starting a local `hardhat node` with the replica and forking from it.
 * `npm run test:fork` runs exactly this file.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { reset } from "@nomicfoundation/hardhat-network-helpers";
import { spawn, type ChildProcess } from "child_process";
import net from "net";
import path from "path";
import type { Signer } from "ethers";
import { ERC20__factory } from "../../typechain-types";
import { MockV3Aggregator__factory } from "../../typechain-types/factories/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator__factory";
import { createMarket, deployAdapter, deployCore, deployInsuranceFund, wad } from "../../scripts/lib/protocol";
import {
  MAINNET,
  balanceSlot,
  installReplica,
  setTokenBalance,
  takeOverFeed,
  type FeedName,
} from "../../replay/mainnet";
import { pricePoints } from "../../replay/prices/data";
import { roundsFor, constantRounds, type Round } from "../../replay/prices/feed";
import { Keeper } from "../../keeper/keeper";
import { lossTotals } from "../../sdk/losses";

const REAL_FORK = !!process.env.MAINNET_RPC_URL;
const rpc = { send: (method: string, params: unknown[]) => network.provider.request({ method, params }) };
const d = (iso: string) => Math.floor(Date.parse(iso) / 1000);

interface ForkOutcome {
  liquidations: number;
  badDebt: bigint;
  parts: bigint;
  orphans: number;
  primaryIsProxy: boolean;
  usdtMarketWorks: boolean;
  rounds: number;
}

/** The same scenario on a real fork, on the replica, and on a fork of a local node running the replica. */
async function forkScenario(): Promise<ForkOutcome> {
  const signers = await ethers.getSigners();
  const [deployer, keeperEoa, supplier, ...borrowers] = signers;
  const provider = ethers.provider;
  const T = MAINNET.tokens;
  // Replay aggregators behind the real proxies.
  const window = { from: d("2021-05-19T12:00:00Z"), to: d("2021-05-19T15:00:00Z"), every: 2 };
  const eth = roundsFor(pricePoints("may2021-ETHUSDT-1m.csv", { useLow: true, ...window }), {
    deviation: 0.005,
    heartbeat: 3600,
    decimals: 8,
  });
  const btc = roundsFor(pricePoints("may2021-BTCUSDT-1m.csv", { useLow: true, ...window }), {
    deviation: 0.005,
    heartbeat: 3600,
    decimals: 8,
  });
  const start = Math.min(eth[0]!.time, btc[0]!.time);
  const end = Math.max(eth[eth.length - 1]!.time, btc[btc.length - 1]!.time);
  const usd = constantRounds("1", { deviation: 0.0025, heartbeat: 86400, decimals: 8 }, start, end);
  const series: Record<FeedName, Round[]> = { "ETH/USD": eth, "BTC/USD": btc, "USDC/USD": usd, "USDT/USD": usd };
  const aggs: Record<string, Awaited<ReturnType<MockV3Aggregator__factory["deploy"]>>> = {};
  for (const [name, proxy] of Object.entries(MAINNET.feeds) as [FeedName, string][]) {
    const agg = await new MockV3Aggregator__factory(deployer!).deploy(8, series[name][0]!.answer);
    await agg.waitForDeployment();
    await takeOverFeed(rpc, provider, proxy, await agg.getAddress());
    aggs[name] = agg;
  }
  // Protocol on the real token and proxy addresses.
  // Logs are read from the deployment's block on, never from block 0 (a real fork has millions of blocks).
  const deployBlock = (await provider.getBlockNumber()) + 1;
  const { core } = await deployCore(deployer!);
  await core.grantRole(ethers.id("BALLAST_RISK_ROLE"), deployer!.address);
  const adapter = (token: string, proxy: string, heartbeat: number) =>
    deployAdapter(deployer!, {
      token,
      owner: deployer!.address,
      primary: proxy,
      maxAge: heartbeat + 600,
      minPrice: wad("0.01"),
      maxPrice: wad("10000000"),
    });
  const usdcA = await adapter(T.USDC.address, MAINNET.feeds["USDC/USD"], 86400);
  const usdtA = await adapter(T.USDT.address, MAINNET.feeds["USDT/USD"], 86400);
  const wethA = await adapter(T.WETH.address, MAINNET.feeds["ETH/USD"], 3600);
  const wbtcA = await adapter(T.WBTC.address, MAINNET.feeds["BTC/USD"], 3600);
  const asset = (address: string, a: typeof usdcA) =>
    ({ token: ERC20__factory.connect(address, deployer!), adapter: a }) as never;
  const id = await createMarket(core, {
    loan: asset(T.USDC.address, usdcA),
    collaterals: [
      {
        asset: asset(T.WETH.address, wethA),
        ltv: wad("0.8"),
        liquidationThreshold: wad("0.85"),
        liquidationBonus: wad("0.05"),
      },
      {
        asset: asset(T.WBTC.address, wbtcA),
        ltv: wad("0.75"),
        liquidationThreshold: wad("0.8"),
        liquidationBonus: wad("0.07"),
      },
    ],
    minBorrow: 10n ** 7n,
    minLeftover: 10n ** 7n,
  });
  const id2 = await createMarket(core, {
    loan: asset(T.USDT.address, usdtA),
    collaterals: [
      {
        asset: asset(T.WETH.address, wethA),
        ltv: wad("0.8"),
        liquidationThreshold: wad("0.85"),
        liquidationBonus: wad("0.05"),
      },
    ],
  });
  await deployInsuranceFund(deployer!, core, id, T.USDC.address);
  const coreAddr = await core.getAddress();
  // Balances through storage.
  const slots: Record<string, number> = {};
  for (const t of Object.values(T)) slots[t.address] = await balanceSlot(rpc, provider, t.address);
  const fund = async (who: Signer, token: string, amount: bigint) => {
    await setTokenBalance(rpc, token, slots[token]!, await who.getAddress(), amount);
    await (await ERC20__factory.connect(token, who).approve(coreAddr, ethers.MaxUint256)).wait();
  };
  await fund(supplier!, T.USDC.address, 10n ** 13n);
  await fund(supplier!, T.USDT.address, 10n ** 13n);
  await (await core.connect(supplier!).supply(id, 10n ** 12n, 0, supplier!.address)).wait();
  await (await core.connect(supplier!).supply(id2, 10n ** 12n, 0, supplier!.address)).wait();
  await fund(keeperEoa!, T.USDC.address, 10n ** 13n);
  // Borrowers at HF 1.075-1.285 on WETH or WBTC; chain time is the data's.
  const latest = (await provider.getBlock("latest"))!.timestamp;
  const offset = latest + 60 - start;
  const publish = async (t: number) => {
    for (const [name, rounds] of Object.entries(series) as [FeedName, Round[]][]) {
      const r = [...rounds].reverse().find((x) => x.time <= t);
      if (r && (r.time === t || t === start))
        await (await aggs[name]!.updateRoundData(rounds.indexOf(r) + 1, r.answer, t + offset, t + offset)).wait();
    }
  };
  await network.provider.send("evm_setNextBlockTimestamp", [start + offset]);
  await publish(start);
  const ethPrice = Number(eth[0]!.answer) / 1e8;
  const btcPrice = Number(btc[0]!.answer) / 1e8;
  for (let i = 0; i < 8; i++) {
    const b = borrowers[i]!;
    const onBtc = i % 2 === 1;
    const token = onBtc ? T.WBTC : T.WETH;
    const amount = onBtc ? 10n ** 8n : 10n ** 19n;
    const value = onBtc ? btcPrice : ethPrice * 10;
    const hf = 1.075 + i * 0.03; // LT/LTV = 1.0625 (WETH) and 1.0667 (WBTC)
    await fund(b, token.address, amount);
    await (await core.connect(b).supplyCollateral(id, onBtc ? 1 : 0, amount, b.address)).wait();
    const borrow = BigInt(Math.floor(((value * (onBtc ? 0.8 : 0.85)) / hf) * 1e6));
    await (await core.connect(b).borrow(id, borrow, 0, b.address, b.address)).wait();
  }
  // The USDT market (no-return-value ERC20) works on the real token too.
  const b9 = borrowers[9]!;
  await fund(b9, T.WETH.address, 10n ** 18n);
  await (await core.connect(b9).supplyCollateral(id2, 0, 10n ** 18n, b9.address)).wait();
  await (await core.connect(b9).borrow(id2, 10n ** 9n, 0, b9.address, b9.address)).wait();
  const usdtMarketWorks = (await ERC20__factory.connect(T.USDT.address, provider).balanceOf(b9.address)) === 10n ** 9n;

  // Replay with the keeper (inventory mode) after every price block.
  const keeper = new Keeper({
    core,
    marketId: id,
    signer: keeperEoa!,
    mode: "inventory",
    flag: true,
    startBlock: deployBlock,
  });
  // Steps start 15 minutes in: seeding above took some blocks of chain time.
  const times = [...new Set([...eth, ...btc].map((r) => r.time))].filter((t) => t > start + 900).sort((a, b) => a - b);
  for (const t of times) {
    await network.provider.send("evm_setNextBlockTimestamp", [t + offset]);
    await publish(t);
    await keeper.tick();
  }
  const loss = await lossTotals(core, id);
  const liqs = await core.queryFilter(core.filters.Liquidate(id), deployBlock);
  let orphans = 0;
  for (let i = 0; i < 8; i++) {
    const [, shares, , cols] = await core.position(id, borrowers[i]!.address);
    if (shares > 0n && cols.every((c) => c === 0n)) orphans++;
  }
  return {
    liquidations: liqs.length,
    badDebt: loss.badDebtRealized,
    parts: loss.fromReserves + loss.fromInsurance + loss.socialized,
    orphans,
    primaryIsProxy: (await wethA.PRIMARY()) === MAINNET.feeds["ETH/USD"],
    usdtMarketWorks,
    rounds: times.length,
  };
}

function expectOutcome(o: ForkOutcome) {
  expect(o.primaryIsProxy).to.equal(true);
  expect(o.usdtMarketWorks).to.equal(true);
  expect(o.rounds).to.be.greaterThan(0);
  expect(o.liquidations).to.be.greaterThan(0);
  expect(o.badDebt).to.equal(o.parts);
  expect(o.orphans).to.equal(0);
}

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

describe(`scenario: forked mainnet (${REAL_FORK ? "real fork of MAINNET_RPC_URL" : "offline mainnet replica"})`, function () {
  after(async function () {
    // Back to the configured network; reset() also clears loadFixture's snapshots for the files that follow.
    await reset();
  });

  it("replays 19 May 2021 on the real token and Chainlink proxy addresses: proxies taken over, keeper liquidates, accounting closes", async function () {
    if (!REAL_FORK) {
      const [deployer] = await ethers.getSigners();
      await installReplica(rpc, deployer!);
    }
    expectOutcome(await forkScenario());
  });

  it("fork code path: forks a local node that runs the replica (one block mined first) and runs the same scenario", async function () {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = { ...process.env };
    delete env.MAINNET_RPC_URL; // the node itself must not fork anything
    const child = spawn(
      process.execPath,
      [require.resolve("hardhat/internal/cli/cli"), "node", "--hostname", "127.0.0.1", "--port", String(port)],
      {
        cwd: path.resolve(__dirname, "..", ".."),
        env,
        stdio: "ignore",
      },
    );
    try {
      await waitForNode(url, child, 120_000);
      const nodeProvider = new ethers.JsonRpcProvider(url, undefined, { staticNetwork: true });
      const nodeSigner = await nodeProvider.getSigner(0);
      await installReplica({ send: (m, p) => nodeProvider.send(m, p) }, nodeSigner);
      await reset(url);
      await network.provider.request({ method: "evm_mine", params: [] }); // a fork of a local node needs one block first
      const code = await ethers.provider.getCode(MAINNET.tokens.USDC.address);
      expect(code.length).to.be.greaterThan(2);
      expectOutcome(await forkScenario());
    } finally {
      child.kill();
    }
  });
});
