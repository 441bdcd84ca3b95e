/**
 * Deploys Ballast's contracts with plain ethers v6 and TypeChain factories. Used by the tests' fixtures, the gas
 * benchmark, the crash demo and the local node seeding; the Ignition modules under deploy/ are the production path.
 * Works with any Signer: the embedded Hardhat network, a local node or a fork.
 */
import type { Signer } from "ethers";
import {
  BallastCore,
  BallastCore__factory,
  IBallastCore,
  ConfigLogic__factory,
  LiquidationLogic__factory,
  ChainlinkPriceAdapter,
  ChainlinkPriceAdapter__factory,
  InsuranceFund,
  InsuranceFund__factory,
  MockERC20,
  MockERC20__factory,
} from "../../typechain-types";
import { BenchFeed__factory } from "../../typechain-types";
import { MockV3Aggregator__factory } from "../../typechain-types/factories/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator__factory";
import type { MockV3Aggregator } from "../../typechain-types/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator";

export const WAD = 10n ** 18n;
export const MAX_UINT128 = (1n << 128n) - 1n;

/** Parses a decimal string ("0.86", "3000.5") into a fixed-point bigint with `decimals` decimals. */
export function parseUnitsExact(value: string, decimals: number): bigint {
  const [whole = "0", frac = ""] = value.split(".");
  if (frac.length > decimals) throw new Error(`${value} has more than ${decimals} decimals`);
  return BigInt(whole + frac.padEnd(decimals, "0"));
}

/** A WAD ratio from a decimal string: wad("0.86") = 0.86e18. */
export const wad = (value: string): bigint => parseUnitsExact(value, 18);

export interface CoreDeployment {
  core: BallastCore;
  configLogic: string;
  liquidationLogic: string;
}

/** Deploys the two linked libraries and the core, with `admin` holding the admin role. */
export async function deployCore(deployer: Signer, admin?: string): Promise<CoreDeployment> {
  const configLogic = await new ConfigLogic__factory(deployer).deploy();
  await configLogic.waitForDeployment();
  const liquidationLogic = await new LiquidationLogic__factory(deployer).deploy();
  await liquidationLogic.waitForDeployment();
  const libs = {
    "contracts/libraries/ConfigLogic.sol:ConfigLogic": await configLogic.getAddress(),
    "contracts/libraries/LiquidationLogic.sol:LiquidationLogic": await liquidationLogic.getAddress(),
  };
  const core = await new BallastCore__factory(libs, deployer).deploy(admin ?? (await deployer.getAddress()));
  await core.waitForDeployment();
  return {
    core,
    configLogic: libs["contracts/libraries/ConfigLogic.sol:ConfigLogic"],
    liquidationLogic: libs["contracts/libraries/LiquidationLogic.sol:LiquidationLogic"],
  };
}

export interface TestAsset {
  symbol: string;
  decimals: number;
  /** USD price as a decimal string, e.g. "3000". */
  price: string;
  /** Feed decimals (8 for USD feeds). */
  feedDecimals?: number;
  /** Heartbeat in seconds; the adapter's max age is heartbeat + 10 minutes unless `maxAge` is given. */
  heartbeat?: number;
  maxAge?: number;
  /** Adapter bounds, USD per whole token (decimal strings). */
  minPrice?: string;
  maxPrice?: string;
  /** "bench": the gas benchmark's three-slot BenchFeed (the peer harness's kind of feed) instead of MockV3Aggregator. */
  feedKind?: "mock" | "bench";
}

export interface PricedToken {
  token: MockERC20;
  /** MockV3Aggregator, or BenchFeed (same `updateAnswer` and read path) when `spec.feedKind` is "bench". */
  feed: MockV3Aggregator;
  adapter: ChainlinkPriceAdapter;
  spec: TestAsset;
}

/** Deploys an OpenZeppelin test token, Chainlink's MockV3Aggregator at `price`, and a price adapter over it. */
export async function deployPricedToken(deployer: Signer, spec: TestAsset, owner?: string): Promise<PricedToken> {
  const feedDecimals = spec.feedDecimals ?? 8;
  const token = await new MockERC20__factory(deployer).deploy(`Test ${spec.symbol}`, spec.symbol, spec.decimals);
  await token.waitForDeployment();
  const answer = parseUnitsExact(spec.price, feedDecimals);
  const feed =
    spec.feedKind === "bench"
      ? // Same updateAnswer and read path: typed as the mock so tests and the benchmark drive either alike.
        ((await new BenchFeed__factory(deployer).deploy(feedDecimals, answer)) as unknown as MockV3Aggregator)
      : await new MockV3Aggregator__factory(deployer).deploy(feedDecimals, answer);
  await feed.waitForDeployment();
  const adapter = await deployAdapter(deployer, {
    token: await token.getAddress(),
    owner: owner ?? (await deployer.getAddress()),
    primary: await feed.getAddress(),
    maxAge: spec.maxAge ?? (spec.heartbeat ?? 3600) + 600,
    minPrice: wad(spec.minPrice ?? "0.000001"),
    maxPrice: wad(spec.maxPrice ?? "10000000"),
  });
  return { token, feed, adapter, spec };
}

export interface AdapterArgs {
  token: string;
  owner: string;
  primary: string;
  maxAge: number;
  fallbackFeed?: string;
  fallbackMaxAge?: number;
  maxFallbackDeviation?: bigint;
  /** With a fallback: the oldest its reference (the primary's last answer) may be, in seconds. */
  maxReferenceAge?: number;
  sequencer?: string;
  sequencerGracePeriod?: number;
  minPrice: bigint;
  maxPrice: bigint;
}

/** Deploys a ChainlinkPriceAdapter. */
export async function deployAdapter(deployer: Signer, a: AdapterArgs): Promise<ChainlinkPriceAdapter> {
  const ZERO = "0x0000000000000000000000000000000000000000";
  const adapter = await new ChainlinkPriceAdapter__factory(deployer).deploy({
    token: a.token,
    owner: a.owner,
    primary: a.primary,
    primaryMaxAge: a.maxAge,
    fallbackFeed: a.fallbackFeed ?? ZERO,
    fallbackMaxAge: a.fallbackMaxAge ?? 0,
    maxFallbackDeviation: a.maxFallbackDeviation ?? 0n,
    maxReferenceAge: a.maxReferenceAge ?? 0,
    sequencer: a.sequencer ?? ZERO,
    sequencerGracePeriod: a.sequencerGracePeriod ?? 0,
    minPrice: a.minPrice,
    maxPrice: a.maxPrice,
  });
  await adapter.waitForDeployment();
  return adapter;
}

export interface CollateralSpec {
  asset: PricedToken;
  ltv: bigint;
  liquidationThreshold: bigint;
  liquidationBonus: bigint;
  supplyCap?: bigint;
}

export interface MarketSpec {
  loan: PricedToken;
  collaterals: CollateralSpec[];
  supplyCap?: bigint;
  borrowCap?: bigint;
  minBorrow?: bigint;
  minLeftover?: bigint;
  reserveFactor?: bigint;
  insurancePremiumFactor?: bigint;
  rateModel?: { baseRate: bigint; slope1: bigint; slope2: bigint; targetUtilization: bigint };
}

/** Default kinked model: 0% base, 4% at 80% utilization, +300% above it. */
export const DEFAULT_RATE_MODEL = {
  baseRate: 0n,
  slope1: wad("0.04"),
  slope2: wad("3"),
  targetUtilization: wad("0.8"),
};

/** Creates a market (the signer must hold the admin role) and returns its id. */
export async function createMarket(core: BallastCore, spec: MarketSpec): Promise<bigint> {
  const params: IBallastCore.MarketParamsStruct = {
    loanToken: await spec.loan.token.getAddress(),
    loanAdapter: await spec.loan.adapter.getAddress(),
    supplyCap: spec.supplyCap ?? MAX_UINT128,
    borrowCap: spec.borrowCap ?? MAX_UINT128,
    minBorrow: spec.minBorrow ?? 0n,
    minLeftover: spec.minLeftover ?? 0n,
    reserveFactor: spec.reserveFactor ?? wad("0.1"),
    insurancePremiumFactor: spec.insurancePremiumFactor ?? wad("0.05"),
    rateModel: spec.rateModel ?? DEFAULT_RATE_MODEL,
    collaterals: await Promise.all(
      spec.collaterals.map(async (c) => ({
        token: await c.asset.token.getAddress(),
        adapter: await c.asset.adapter.getAddress(),
        ltv: c.ltv,
        liquidationThreshold: c.liquidationThreshold,
        liquidationBonus: c.liquidationBonus,
        supplyCap: c.supplyCap ?? MAX_UINT128,
      })),
    ),
  };
  const tx = await core.createMarket(params);
  const receipt = await tx.wait();
  for (const log of receipt?.logs ?? []) {
    try {
      const parsed = core.interface.parseLog(log);
      if (parsed?.name === "MarketCreated") return parsed.args[0] as bigint;
    } catch {
      // a log of another contract
    }
  }
  throw new Error("MarketCreated not emitted");
}

/** Deploys the insurance fund of market `id` and registers it (the signer must hold the admin role). */
export async function deployInsuranceFund(
  deployer: Signer,
  core: BallastCore,
  id: bigint,
  loanToken: string,
  admin?: string,
  symbol = "bINS",
): Promise<InsuranceFund> {
  const fund = await new InsuranceFund__factory(deployer).deploy(
    loanToken,
    await core.getAddress(),
    id,
    admin ?? (await deployer.getAddress()),
    `Ballast insurance ${symbol} market ${id}`,
    symbol,
  );
  await fund.waitForDeployment();
  await (await core.setInsuranceFund(id, await fund.getAddress())).wait();
  return fund;
}

/**
 * Adapter bounds are immutable: a change is a new adapter on the same feed with the new bounds, set through
 * `setAdapter` by the core's admin (index -1: the loan asset). Returns the new adapter.
 */
export async function replaceAdapterBounds(
  admin: Signer,
  core: BallastCore,
  id: bigint,
  index: number,
  asset: PricedToken,
  minPrice: bigint,
  maxPrice: bigint,
): Promise<ChainlinkPriceAdapter> {
  const adapter = await deployAdapter(admin, {
    token: await asset.token.getAddress(),
    owner: await asset.adapter.owner(),
    primary: await asset.feed.getAddress(),
    maxAge: Number(await asset.adapter.PRIMARY_MAX_AGE()),
    minPrice,
    maxPrice,
  });
  await (await core.connect(admin).setAdapter(id, index, await adapter.getAddress())).wait();
  return adapter;
}
