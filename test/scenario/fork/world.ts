/**
 * The fork suite's world: mainnet's tokens, Chainlink feed proxies and Uniswap v3 at their real addresses, and
 * Ballast deployed the way an operator deploys it: `deployBallast` (the Ignition modules of deploy/modules/Ballast.ts,
 * on-chain validation and role-handover check included) with deploy/config/mainnet.ts.
 *
 * - With MAINNET_RPC_URL (and FORK_BLOCK to pin the block): hardhat.config.ts forks mainnet; tokens, feeds,
 *   Uniswap and its pools are the real ones. The config is validated against the real feeds before any take-over.
 * - Without it (CI): the offline replica (replay/mainnet.ts): the same interfaces placed at the same addresses,
 *   Uniswap's published bytecode at its real addresses (pools are then created per episode).
 *
 * What differs from deploy/config/mainnet.ts, and why: the chain id is the test chain's (the config is chosen
 * explicitly, never by chain id); governance holds test accounts (mainnet reads it from BALLAST_* variables); on the
 * replica only, the feeds' `description` is not checked (the replay aggregator behind each proxy is Chainlink's
 * MockV3Aggregator, whose description is fixed). Every asset, feed, heartbeat, bound and market parameter is mainnet's.
 */
import hre, { ethers, network } from "hardhat";
import type { Signer } from "ethers";
import mainnetConfig from "../../../deploy/config/mainnet";
import type { NetworkDeployConfig } from "../../../deploy/config";
import { deployBallast } from "../../../scripts/lib/deploy-ballast";
import type { Deployment } from "../../../scripts/lib/deploy-output";
import {
  BallastCore__factory,
  ChainlinkPriceAdapter__factory,
  FlashLiquidator__factory,
  InsuranceFund__factory,
  type BallastCore,
  type ChainlinkPriceAdapter,
  type FlashLiquidator,
  type InsuranceFund,
} from "../../../typechain-types";
import { MockV3Aggregator__factory } from "../../../typechain-types/factories/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator__factory";
import type { MockV3Aggregator } from "../../../typechain-types/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator";
import {
  MAINNET,
  balanceSlot,
  installReplica,
  installUniswapReplica,
  mainnetUniswap,
  setTokenBalance,
  takeOverFeed,
  type FeedName,
} from "../../../replay/mainnet";
import type { UniswapDeployment } from "../../../deploy/uniswap/contracts";
import { pricePoints } from "../../../replay/prices/data";
import { toAnswer } from "../../../replay/prices/feed";

export const REAL_FORK = !!process.env.MAINNET_RPC_URL;
export const rpc = { send: (method: string, params: unknown[]) => network.provider.request({ method, params }) };

/** Market 1 of deploy/config/mainnet.ts: USDC borrowed against WETH (#0) and WBTC (#1). */
export const USDC_MARKET = 1n;

export interface ForkSigners {
  deployer: Signer;
  proposer: Signer;
  risk: Signer;
  guardian: Signer;
  keeper: Signer;
  supplier: Signer;
  staker: Signer;
  arbitrageur: Signer;
  probe: Signer;
  borrowers: Signer[];
}

export interface ForkWorld {
  /** The offline replica (false on a real fork): its pools are seeded per episode, its feeds carry no description. */
  replica: boolean;
  record: Deployment;
  config: NetworkDeployConfig;
  core: BallastCore;
  adapters: Record<string, ChainlinkPriceAdapter>;
  fund: InsuranceFund;
  /** The replay aggregator behind each real feed proxy (answers are published to these). */
  feeds: Record<FeedName, MockV3Aggregator>;
  /** Real fork: each real feed's own clamp (its aggregator's minAnswer/maxAnswer, 8 decimals), read before the
   * take-over; a note where it could not be read. */
  realFeedBounds?: Record<string, { minAnswer: bigint; maxAnswer: bigint } | string>;
  uni: UniswapDeployment;
  liquidator: FlashLiquidator;
  s: ForkSigners;
  /** Writes `who`'s balance of `token` through storage and approves `spender` (if given) for everything. */
  give(who: Signer, token: string, amount: bigint, spender?: string): Promise<void>;
}

async function forkSigners(): Promise<ForkSigners> {
  const all = await ethers.getSigners();
  const [deployer, proposer, risk, guardian, keeper, supplier, staker, arbitrageur, probe, ...borrowers] = all;
  return { deployer, proposer, risk, guardian, keeper, supplier, staker, arbitrageur, probe, borrowers } as ForkSigners;
}

/** deploy/config/mainnet.ts for this chain: see the file header for the three differences. */
async function forkConfig(s: ForkSigners, replica: boolean): Promise<NetworkDeployConfig> {
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  const [proposer, risk, guardian] = await Promise.all([s.proposer, s.risk, s.guardian].map((x) => x.getAddress()));
  return {
    ...mainnetConfig,
    chainId,
    governance: {
      timelockMinDelay: mainnetConfig.governance.timelockMinDelay,
      proposers: [proposer!],
      executors: [proposer!],
      riskAdmins: [risk!],
      guardians: [guardian!],
    },
    assets: mainnetConfig.assets.map((a) =>
      !replica || a.feed.kind !== "existing" ? a : { ...a, feed: { ...a.feed, description: undefined } },
    ),
  };
}

/** A real price from ../shared/data for each feed before any episode runs (USD stablecoins: the peg of 1). */
function initialAnswer(name: FeedName): bigint {
  const file = { "ETH/USD": "may2021-ETHUSDT-1m.csv", "BTC/USD": "may2021-BTCUSDT-1m.csv" }[name as string];
  return toAnswer(file ? pricePoints(file, { useLow: false })[0]!.price : "1", 8);
}

/** Points every real feed proxy at a replay aggregator (impersonating the proxy's owner). */
async function takeOverFeeds(deployer: Signer): Promise<Record<FeedName, MockV3Aggregator>> {
  const feeds = {} as Record<FeedName, MockV3Aggregator>;
  for (const [name, proxy] of Object.entries(MAINNET.feeds) as [FeedName, string][]) {
    const agg = await new MockV3Aggregator__factory(deployer).deploy(8, initialAnswer(name));
    await agg.waitForDeployment();
    await takeOverFeed(rpc, ethers.provider, proxy, await agg.getAddress());
    feeds[name] = agg;
  }
  return feeds;
}

export interface WorldOptions {
  /** The chain is (or is a fork of) the offline replica. Default: not on a real fork. */
  replica?: boolean;
  /** Place the replica (and Uniswap) on this chain first. Default: `replica`. False when the chain was forked from
   * a node that already runs the replica. */
  install?: boolean;
}

/**
 * Builds the world (use with loadFixture): the replica unless on a real fork, the feeds taken over (after the
 * deployment's validation on a real fork, so it reads the real feeds), Ballast through Ignition, and the keeper's
 * FlashLiquidator.
 */
export async function forkWorld(opts: WorldOptions = {}): Promise<ForkWorld> {
  const s = await forkSigners();
  const replica = opts.replica ?? !REAL_FORK;
  if (opts.install ?? replica) {
    await installReplica(rpc, s.deployer);
    await installUniswapReplica(rpc, s.deployer);
  }
  let feeds = replica ? await takeOverFeeds(s.deployer) : undefined;
  const config = await forkConfig(s, replica);
  const { record } = await deployBallast(hre, { config, write: false });
  const realFeedBounds = replica ? undefined : await feedBounds();
  feeds ??= await takeOverFeeds(s.deployer);
  const core = BallastCore__factory.connect(record.contracts.BallastCore!, s.deployer);
  const adapters: Record<string, ChainlinkPriceAdapter> = {};
  for (const a of config.assets) {
    const address = record.contracts[`${a.symbol}PriceAdapter`]!;
    adapters[a.symbol] = ChainlinkPriceAdapter__factory.connect(address, s.deployer);
  }
  const fund = InsuranceFund__factory.connect(record.contracts.InsuranceFund1!, s.deployer);
  const liquidator = await new FlashLiquidator__factory(s.deployer).deploy(
    record.contracts.BallastCore!,
    await s.keeper.getAddress(),
  );
  await liquidator.waitForDeployment();
  const uni = { ...mainnetUniswap(), weth9: MAINNET.tokens.WETH.address };
  return {
    replica,
    record,
    config,
    core,
    adapters,
    fund,
    feeds,
    realFeedBounds,
    uni,
    liquidator,
    s,
    give: await giver(),
  };
}

/** The real feeds' clamps: an OCR aggregator never reports below minAnswer or above maxAnswer. */
async function feedBounds(): Promise<NonNullable<ForkWorld["realFeedBounds"]>> {
  const out: NonNullable<ForkWorld["realFeedBounds"]> = {};
  for (const [name, proxy] of Object.entries(MAINNET.feeds)) {
    try {
      const p = new ethers.Contract(proxy, ["function aggregator() view returns (address)"], ethers.provider);
      const abi = ["function minAnswer() view returns (int192)", "function maxAnswer() view returns (int192)"];
      const agg = new ethers.Contract(String(await p.getFunction("aggregator")()), abi, ethers.provider);
      out[name] = {
        minAnswer: BigInt(await agg.getFunction("minAnswer")()),
        maxAnswer: BigInt(await agg.getFunction("maxAnswer")()),
      };
    } catch (e) {
      out[name] = `not readable (${(e as Error).message.split("\n")[0]})`;
    }
  }
  return out;
}

/** Writes balances through each token's balance slot (found once by probing). */
async function giver(): Promise<ForkWorld["give"]> {
  const slots: Record<string, number> = {};
  for (const t of Object.values(MAINNET.tokens)) slots[t.address] = await balanceSlot(rpc, ethers.provider, t.address);
  return async (who, token, amount, spender) => {
    await setTokenBalance(rpc, token, slots[token]!, await who.getAddress(), amount);
    if (spender) await (await tokenAt(token, who).approve(spender, ethers.MaxUint256)).wait();
  };
}

/** An ERC-20 at `address` (USDT's approve returns nothing: the ABI says so). */
export function tokenAt(address: string, runner: Signer) {
  return new ethers.Contract(
    address,
    [
      "function approve(address,uint256)",
      "function balanceOf(address) view returns (uint256)",
      "function transfer(address,uint256)",
    ],
    runner,
  ) as unknown as {
    approve(spender: string, amount: bigint): Promise<{ wait(): Promise<unknown> }>;
    balanceOf(who: string): Promise<bigint>;
  };
}

/** Chain time of the latest block. */
export async function chainNow(): Promise<number> {
  return (await ethers.provider.getBlock("latest"))!.timestamp;
}
