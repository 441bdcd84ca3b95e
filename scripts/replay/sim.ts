/**
 * Crash replay on the EVM: deploys Ballast, seeds suppliers, an insurance fund and a population of borrowers with a
 * stated health-factor distribution, replays an episode's real prices through Chainlink-like feeds (a round only
 * on deviation or heartbeat; chain time follows the data), runs the keeper after every price block, lets some
 * suppliers run for the exit as soon as they see a position short, and checks the accounting invariants.
 *
 * Block layout of one price step at data time t (chain time t + offset):
 *   block A (t):      the feeds' new rounds;
 *   block B (t + 1):  keeper flags (highest tip), leaving suppliers' withdrawals, then keeper liquidations;
 *   blocks t + 2...:  follow-up keeper passes while positions remain liquidatable (at most `passes`).
 * The automine is off during the replay and blocks are mined explicitly, so a run is deterministic.
 */
import { ethers, network } from "hardhat";
import type { Signer } from "ethers";
import {
  BallastCore,
  ChainlinkPriceAdapter,
  FlashLiquidator,
  FlashLiquidator__factory,
  InsuranceFund,
  MockERC20,
  MockERC20__factory,
  MockFeed,
  MockFeed__factory,
  MockSwapper,
  MockSwapper__factory,
  ScenarioBorrowers__factory,
} from "../../typechain-types";
import { MockV3Aggregator__factory } from "../../typechain-types/factories/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator__factory";
import type { MockV3Aggregator } from "../../typechain-types/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator";
import { createMarket, deployAdapter, deployCore, deployInsuranceFund, parseUnitsExact, wad } from "../lib/protocol";
import {
  PRICE_SCALE,
  WAD,
  accrueMarket,
  copyMarket,
  healthFactor,
  mulDivDown,
  previewRedeem,
  valuation,
  type MarketState,
} from "../../sdk/math";
import { Keeper, type MarketView, type PositionHealth } from "../../keeper/keeper";
import { pricePoints, type PricePoint } from "./data";
import { constantRounds, roundsFor, toAnswer, type Round } from "./feed";
import { DEFAULT_PARAMS, episode as getEpisode, type AssetSpec, type EpisodeSpec, type RunParams } from "./episodes";

const RISK_ROLE = ethers.id("BALLAST_RISK_ROLE");
const GUARDIAN_ROLE = ethers.id("BALLAST_GUARDIAN_ROLE");

/** Test-assumption stress of one run. */
export interface Stress {
  /** The feed of `symbol` publishes nothing for data times in [from, to) (a stalled feed). */
  outage?: { symbol: string; from: number; to: number };
  /** An L2 sequencer uptime feed: down at data time `downAt`, back up at `upAt`; adapters wait `grace` s. */
  sequencer?: { downAt: number; upAt: number; grace: number };
  /** The feed of `symbol` never reports below `minAnswer`; the adapter's lower bound is `minPrice`. */
  floor?: { symbol: string; minAnswer: string; minPrice: string };
  /** The primary feed of `symbol` reverts from data time `at`; a fallback fed by the same series takes over. */
  primaryDies?: { symbol: string; at: number; maxDeviation: string };
}

export interface SimOptions {
  episode: string | EpisodeSpec;
  borrowers: number;
  params?: RunParams;
  /** Keeper flags shortfalls (default true). */
  flag?: boolean;
  /** Replay only the episode's short test window. */
  testWindow?: boolean;
  /** Or an explicit window (data time) and sampling. */
  window?: { from?: number; to?: number; every?: number };
  seed?: number;
  stress?: Stress;
  /** Follow-up keeper passes per price step. Default 3. */
  passes?: number;
  /** Also replay without flags from the same seeded state (for the fairness comparison). Default true. */
  compareWithoutFlags?: boolean;
  progress?: (line: string) => void;
  keeperLog?: (line: string) => void;
  /** Runs before each replay starts (automine on, before the token snapshot): fund test accounts here. */
  beforeReplay?: (ctx: SimContext) => Promise<void>;
  /** Extra blocks (data times) without rounds, e.g. to observe a stalled feed. */
  extraSteps?: number[];
  /** Called after each price block (automine is off: use ctx.mine to include transactions). */
  onStep?: (ctx: SimContext, step: StepInfo) => Promise<void>;
}

export interface StepInfo {
  index: number;
  dataTime: number;
  chainTime: number;
  rounds: { symbol: string; round: Round }[];
}

export interface Phase {
  name: string;
  price: Record<string, { close: number; min: number }>;
  liquidations: number;
  badDebt: bigint;
  fromReserves: bigint;
  fromInsurance: bigint;
  socialized: bigint;
}

export interface SupplierResult {
  address: string;
  role: "leaver" | "stayer" | "base";
  deposited: bigint;
  withdrawn: bigint;
  remainingValue: bigint;
  lossBps: number;
}

export interface ChartPoint {
  time: number;
  price: number;
  debt: number;
  collateral: number;
  insurance: number;
  badDebt: number;
}

export interface InvariantResult {
  name: string;
  held: boolean;
  detail: string;
}

export interface RunResult {
  flag: boolean;
  liquidations: number;
  failedTx: number;
  badDebt: bigint;
  fromReserves: bigint;
  fromInsurance: bigint;
  socialized: bigint;
  supplyAtStart: bigint;
  supplierLossBps: number;
  suppliers: SupplierResult[];
  exitsWhilePending: number;
  exits: number;
  phases: Phase[];
  chart: ChartPoint[];
  invariants: InvariantResult[];
  steps: number;
  blocks: number;
  /** Liquidation attempts that reverted for a price error (stale, bounds, sequencer...): counted per reason. */
  priceHalts: Record<string, number>;
  /** Positions still underwater at the end (debt, shortfall estimate) that could not be liquidated. */
  stuck: { borrower: string; debt: bigint; reason: string }[];
  openDebtAtEnd: bigint;
}

export interface SimResult {
  episode: string;
  title: string;
  source: string[];
  borrowers: number;
  params: RunParams;
  hfDistribution: string;
  main: RunResult;
  withoutFlags?: RunResult;
  /** False when the without-flags comparison was not run. */
  compared: boolean;
  seconds: number;
  /** The deployment (its chain state is the last replay's). */
  ctx: SimContext;
}

export interface SimAsset {
  spec: AssetSpec;
  token: MockERC20;
  feed: MockV3Aggregator | MockFeed;
  fallbackFeed?: MockV3Aggregator;
  adapter: ChainlinkPriceAdapter;
  rounds: Round[];
  roundId: bigint;
}

export interface SimContext {
  core: BallastCore;
  id: bigint;
  fund: InsuranceFund;
  loan: SimAsset;
  collaterals: SimAsset[];
  deployer: Signer;
  keeperSigner: Signer;
  swapper: MockSwapper;
  liquidator: FlashLiquidator;
  sequencer?: MockFeed;
  borrowers: string[];
  suppliers: { signer: Signer; role: SupplierResult["role"]; deposited: bigint }[];
  staker: Signer;
  offset: number;
  /** Mines the pending transactions in a block at chain time `chainTime`. */
  mine: (chainTime: number) => Promise<void>;
  keeper?: Keeper;
}

/** Stated HF distribution of the seeded borrowers (initial health factors). */
export const HF_BANDS = [
  { share: 0.25, lo: 0, hi: 1.15 }, // lo 0 = the collateral's LT/LTV + 0.01 (the tightest a borrow allows)
  { share: 0.35, lo: 1.15, hi: 1.4 },
  { share: 0.25, lo: 1.4, hi: 1.8 },
  { share: 0.15, lo: 1.8, hi: 3.0 },
];
export const HF_DISTRIBUTION =
  "initial HF: 25% in [LT/LTV+0.01, 1.15), 35% in [1.15, 1.40), 25% in [1.40, 1.80), 15% in [1.80, 3.00), " +
  "uniform within a band; collateral value log-uniform $5k-$250k; 30% of borrowers in multi-collateral markets " +
  "split their value between two collaterals";

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Optional timing of the replay loop (PROFILE=1). */
const prof = {
  last: Date.now(),
  acc: new Map<string, number>(),
  t(label: string) {
    const now = Date.now();
    this.acc.set(label, (this.acc.get(label) ?? 0) + now - this.last);
    this.last = now;
  },
  dump(): string {
    return [...this.acc].map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}s`).join(", ");
  },
};

async function rpc(method: string, params: unknown[] = []): Promise<unknown> {
  return network.provider.request({ method, params });
}

/** Amount of `decimals` base units worth `usd` at `price` (both JS numbers; precision ~1e-12 is plenty here). */
function unitsFor(usd: number, price: number, decimals: number): bigint {
  const whole = usd / price;
  const scale = Math.min(decimals, 9);
  return BigInt(Math.floor(whole * 10 ** scale)) * 10n ** BigInt(decimals - scale);
}

const bump = (x: string, by: number | undefined, cap: number) => wad(Math.min(cap, Number(x) + (by ?? 0)).toFixed(4));

/** Runs one episode (and, unless disabled, the same episode without flags from the same seeded state). */
export async function runEpisode(opts: SimOptions): Promise<SimResult> {
  const t0 = Date.now();
  const ep = typeof opts.episode === "string" ? getEpisode(opts.episode) : opts.episode;
  const params: RunParams = { ...DEFAULT_PARAMS, ...(opts.params ?? {}) };
  const progress = opts.progress ?? (() => undefined);
  const flag = opts.flag ?? true;

  // ------------------------------------------------------------------ price rounds (data time)
  const window = opts.window ?? (opts.testWindow ? ep.testWindow : undefined) ?? {};
  const from = window.from ?? ep.from;
  const to = window.to ?? ep.to;
  const pointsOf = (a: AssetSpec): PricePoint[] =>
    a.file ? pricePoints(a.file, { useLow: ep.useLow ?? true, from, to, every: window.every }) : [];
  const colPoints = ep.collaterals.map(pointsOf);
  const start = Math.min(...colPoints.map((p) => p[0]?.time ?? Infinity));
  const end = Math.max(...colPoints.map((p) => p[p.length - 1]?.time ?? 0));
  if (!Number.isFinite(start)) throw new Error(`${ep.name}: no data in the window`);
  const stress = opts.stress ?? {};
  const roundsOf = (a: AssetSpec, pts: PricePoint[]): Round[] => {
    const rule = { ...a.rule };
    if (stress.floor && stress.floor.symbol === a.symbol) rule.minAnswer = stress.floor.minAnswer;
    let rounds = a.file ? roundsFor(pts, rule, end) : constantRounds("1", rule, start, end);
    if (stress.outage && stress.outage.symbol === a.symbol) {
      const o = stress.outage;
      rounds = rounds.filter((r) => r.time < o.from || r.time >= o.to);
    }
    return rounds;
  };
  const loanRounds = roundsOf(ep.loan, []);
  const colRounds = ep.collaterals.map((a, i) => roundsOf(a, colPoints[i]!));

  // ------------------------------------------------------------------ deployment
  const signers = await ethers.getSigners();
  const [deployer, keeperSigner, flagger, staker, ...rest] = signers;
  if (!deployer || !keeperSigner || !flagger || !staker || rest.length < 7) throw new Error("need 11 accounts");
  const gasLimitBefore = (await ethers.provider.getBlock("latest"))!.gasLimit;
  await rpc("evm_setBlockGasLimit", ["0x" + (2n * 10n ** 9n).toString(16)]);
  const { core } = await deployCore(deployer);
  await (await core.grantRole(RISK_ROLE, deployer.address)).wait();
  await (await core.grantRole(GUARDIAN_ROLE, deployer.address)).wait();

  let sequencer: MockFeed | undefined;
  if (stress.sequencer) {
    sequencer = await new MockFeed__factory(deployer).deploy(0, 0);
    await sequencer.waitForDeployment();
    // Up since long ago.
    const now = (await ethers.provider.getBlock("latest"))!.timestamp;
    await (await sequencer.set(0, now - 10 * 86400)).wait();
  }
  const deployAsset = async (spec: AssetSpec, rounds: Round[]): Promise<SimAsset> => {
    const first = rounds[0];
    if (!first) throw new Error(`${spec.symbol}: no rounds`);
    const token = await new MockERC20__factory(deployer).deploy(`Replay ${spec.symbol}`, spec.symbol, spec.decimals);
    await token.waitForDeployment();
    const dies = stress.primaryDies && stress.primaryDies.symbol === spec.symbol;
    let feed: MockV3Aggregator | MockFeed;
    let fallbackFeed: MockV3Aggregator | undefined;
    if (dies) {
      feed = await new MockFeed__factory(deployer).deploy(spec.rule.decimals, first.answer);
      fallbackFeed = await new MockV3Aggregator__factory(deployer).deploy(spec.rule.decimals, first.answer);
      await fallbackFeed.waitForDeployment();
    } else {
      feed = await new MockV3Aggregator__factory(deployer).deploy(spec.rule.decimals, first.answer);
    }
    await feed.waitForDeployment();
    const floor = stress.floor && stress.floor.symbol === spec.symbol ? stress.floor : undefined;
    const adapter = await deployAdapter(deployer, {
      token: await token.getAddress(),
      owner: deployer.address,
      primary: await feed.getAddress(),
      maxAge: spec.rule.heartbeat + 600,
      ...(fallbackFeed
        ? {
            fallbackFeed: await fallbackFeed.getAddress(),
            fallbackMaxAge: spec.rule.heartbeat + 600,
            maxFallbackDeviation: wad(stress.primaryDies!.maxDeviation),
            maxReferenceAge: 86_400, // the fallback serves for a day after the primary's last answer
          }
        : {}),
      ...(sequencer ? { sequencer: await sequencer.getAddress(), sequencerGracePeriod: stress.sequencer!.grace } : {}),
      minPrice: wad(floor?.minPrice ?? spec.minPrice ?? "0.00000001"),
      maxPrice: wad(spec.maxPrice ?? "10000000"),
    });
    return { spec, token, feed, fallbackFeed, adapter, rounds, roundId: 1n };
  };
  const loan = await deployAsset(ep.loan, loanRounds);
  const collaterals: SimAsset[] = [];
  for (let i = 0; i < ep.collaterals.length; i++)
    collaterals.push(await deployAsset(ep.collaterals[i]!, colRounds[i]!));
  if (fallbackAdapterNeedsCheckpoint(collaterals)) {
    for (const c of collaterals) if (c.fallbackFeed) await (await c.adapter.checkpoint()).wait();
  }

  const minLeftover = parseUnitsExact(params.minLeftover ?? "10", ep.loan.decimals);
  const id = await createMarket(core, {
    loan: {
      token: loan.token,
      feed: loan.feed as MockV3Aggregator,
      adapter: loan.adapter,
      spec: { symbol: "", decimals: 0, price: "1" },
    },
    collaterals: collaterals.map((c) => {
      const lt = bump(c.spec.liquidationThreshold, params.thresholdBump, 0.95);
      const bonus = wad(c.spec.liquidationBonus);
      // Keep threshold x (1 + bonus) < 1 and ltv < threshold.
      const ltCap = (WAD * WAD) / (WAD + bonus) - 10n ** 14n;
      const ltFinal = lt < ltCap ? lt : ltCap;
      const ltv = bump(c.spec.ltv, params.ltvBump, 0.95);
      return {
        asset: {
          token: c.token,
          feed: c.feed as MockV3Aggregator,
          adapter: c.adapter,
          spec: { symbol: "", decimals: 0, price: "1" },
        },
        ltv: ltv < ltFinal ? ltv : ltFinal - 10n ** 16n,
        liquidationThreshold: ltFinal,
        liquidationBonus: bonus,
      };
    }),
    minBorrow: minLeftover,
    minLeftover,
  });
  const fund = await deployInsuranceFund(deployer, core, id, await loan.token.getAddress());
  if (params.maxDrawPerEvent || params.windowShare) {
    await (
      await fund.setDrawLimits(wad(params.maxDrawPerEvent ?? "0.3"), wad(params.windowShare ?? "0.5"), 86400)
    ).wait();
  }
  const coreAddr = await core.getAddress();

  // Test venue + flash liquidator.
  const swapper = await new MockSwapper__factory(deployer).deploy(
    deployer.address,
    wad(String(params.swapFee ?? 0.003)),
  );
  await swapper.waitForDeployment();
  for (const a of [loan, ...collaterals]) {
    await (await swapper.setAdapter(await a.token.getAddress(), await a.adapter.getAddress())).wait();
  }
  const liquidator = await new FlashLiquidator__factory(deployer).deploy(coreAddr, keeperSigner.address);
  await liquidator.waitForDeployment();

  // ------------------------------------------------------------------ seeding
  const market = await core.collateral(id, 0); // warm
  void market;
  const rand = rng(opts.seed ?? 42);
  const initPrice = (a: SimAsset) => Number(a.rounds[0]!.answer) / 10 ** a.spec.rule.decimals;
  const loanPrice = initPrice(loan);
  const cols = await Promise.all(collaterals.map((_, i) => core.collateral(id, i)));
  const weights = collaterals.map((c) => c.spec.weight ?? 1);
  const wsum = weights.reduce((x, y) => x + y, 0);
  const pick = (): number => {
    let r = rand() * wsum;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r <= 0) return i;
    }
    return weights.length - 1;
  };
  type Seed = { amounts: bigint[]; borrowAssets: bigint };
  const seeds: Seed[] = [];
  const colTotals = collaterals.map(() => 0n);
  let borrowTotal = 0n;
  for (let k = 0; k < opts.borrowers; k++) {
    const value = Math.exp(Math.log(5000) + rand() * (Math.log(250000) - Math.log(5000)));
    const held = new Map<number, number>();
    const first = pick();
    if (collaterals.length > 1 && rand() < 0.3) {
      let second = pick();
      if (second === first) second = (first + 1) % collaterals.length;
      held.set(first, value / 2);
      held.set(second, value / 2);
    } else held.set(first, value);
    // HF band.
    let r = rand();
    let band = HF_BANDS[HF_BANDS.length - 1]!;
    for (const b of HF_BANDS) {
      if (r < b.share) {
        band = b;
        break;
      }
      r -= b.share;
    }
    let tightest = 0;
    for (const i of held.keys()) {
      const c = cols[i]!;
      tightest = Math.max(tightest, Number(c.liquidationThreshold) / Number(c.ltv) + 0.01);
    }
    const lo = Math.max(band.lo, tightest);
    const hf = Math.max(lo, band.lo + rand() * (band.hi - band.lo));
    const amounts = collaterals.map(() => 0n);
    let weighted = 0;
    for (const [i, usd] of held) {
      const a = collaterals[i]!;
      const amt = unitsFor(usd, initPrice(a), a.spec.decimals);
      amounts[i] = amt;
      colTotals[i] = colTotals[i]! + amt;
      weighted += usd * (Number(cols[i]!.liquidationThreshold) / 1e18);
    }
    let borrowAssets = unitsFor(weighted / hf, loanPrice, ep.loan.decimals);
    if (borrowAssets < minLeftover) borrowAssets = minLeftover;
    borrowTotal += borrowAssets;
    seeds.push({ amounts, borrowAssets });
  }

  // Suppliers: one base supplier (40%), three leavers and three stayers (10% each).
  const supplyTotal = (borrowTotal * 10000n) / BigInt(Math.round((params.utilization ?? 0.75) * 10000));
  const suppliers: SimContext["suppliers"] = [];
  const roles: SupplierResult["role"][] = ["base", "leaver", "leaver", "leaver", "stayer", "stayer", "stayer"];
  for (let i = 0; i < roles.length; i++) {
    const s = rest[i]!;
    const amount = roles[i] === "base" ? (supplyTotal * 40n) / 100n : (supplyTotal * 10n) / 100n;
    await (await loan.token.mint(s.address, amount)).wait();
    await (await loan.token.connect(s).approve(coreAddr, ethers.MaxUint256)).wait();
    await (await core.connect(s).supply(id, amount, 0, s.address)).wait();
    suppliers.push({ signer: s, role: roles[i]!, deposited: amount });
  }
  // Insurance stake.
  const stake = (BigInt(Math.round((params.insuranceShare ?? 0.03) * 1e6)) * supplyTotal) / 1000000n;
  await (await loan.token.mint(staker.address, stake)).wait();
  await (await loan.token.connect(staker).approve(await fund.getAddress(), ethers.MaxUint256)).wait();
  if (stake > 0n) await (await fund.connect(staker).deposit(stake, staker.address)).wait();
  // Swapper inventory: enough loan asset to buy all the collateral.
  await (await loan.token.mint(await swapper.getAddress(), borrowTotal * 3n)).wait();

  // Borrowers, in batches through the seeding factory.
  const factory = await new ScenarioBorrowers__factory(deployer).deploy();
  await factory.waitForDeployment();
  const factoryAddr = await factory.getAddress();
  for (let i = 0; i < collaterals.length; i++) {
    const c = collaterals[i]!;
    await (await c.token.mint(deployer.address, colTotals[i]!)).wait();
    await (await c.token.approve(factoryAddr, ethers.MaxUint256)).wait();
  }
  const colAddrs = await Promise.all(collaterals.map((c) => c.token.getAddress()));
  const borrowers: string[] = [];
  const BATCH = 30;
  for (let k = 0; k < seeds.length; k += BATCH) {
    const batch = seeds.slice(k, k + BATCH);
    const got = await factory.seed.staticCall(coreAddr, id, colAddrs, batch, { gasLimit: 16_000_000n });
    await (await factory.seed(coreAddr, id, colAddrs, batch, { gasLimit: 16_000_000n })).wait();
    borrowers.push(...got);
  }
  progress(
    `${ep.name}: seeded ${borrowers.length} borrowers (debt ${fmtUnits(borrowTotal, ep.loan.decimals)}), ` +
      `supply ${fmtUnits(supplyTotal, ep.loan.decimals)}, insurance ${fmtUnits(stake, ep.loan.decimals)}`,
  );

  // Warm-up: interest builds reserves and premium before the crash.
  const warm = Math.round((params.warmupDays ?? 30) * 86400);
  if (warm > 0) {
    await rpc("evm_increaseTime", [warm]);
    await rpc("evm_mine");
    await (await core.accrueInterest(id)).wait();
  }
  const latest = (await ethers.provider.getBlock("latest"))!;
  const offset = latest.timestamp + 120 - start;
  let lastMined = latest.timestamp;

  const ctx: SimContext = {
    core,
    id,
    fund,
    loan,
    collaterals,
    deployer,
    keeperSigner,
    swapper,
    liquidator,
    sequencer,
    borrowers,
    suppliers,
    staker,
    offset,
    mine: async (chainTime: number) => {
      const ts = Math.max(chainTime, lastMined + 1);
      await rpc("evm_mine", [ts]);
      lastMined = ts;
    },
  };

  // ------------------------------------------------------------------ replays
  const snapshot = (await rpc("evm_snapshot")) as string;
  const allAssets = [loan, ...collaterals];
  const result: SimResult = {
    episode: ep.name,
    title: ep.title,
    source: [...new Set(ep.collaterals.map((c) => c.file).filter((f): f is string => f !== null))],
    borrowers: opts.borrowers,
    params,
    hfDistribution: HF_DISTRIBUTION,
    main: undefined as unknown as RunResult,
    compared: (opts.compareWithoutFlags ?? true) || !flag,
    seconds: 0,
    ctx,
  };
  result.main = await replay(ctx, ep, params, allAssets, { flag, stress, opts, start, end, flagger });
  if (opts.compareWithoutFlags ?? true) {
    if (flag) {
      await rpc("evm_revert", [snapshot]);
      lastMined = latest.timestamp;
      for (const a of allAssets) a.roundId = 1n;
      progress(`${ep.name}: replaying again without flags (fairness comparison)`);
      result.withoutFlags = await replay(ctx, ep, params, allAssets, {
        flag: false,
        stress,
        opts,
        start,
        end,
        flagger,
      });
    } else {
      result.withoutFlags = result.main;
    }
  }
  result.seconds = (Date.now() - t0) / 1000;
  await rpc("evm_setBlockGasLimit", ["0x" + gasLimitBefore.toString(16)]);
  return result;
}

function fallbackAdapterNeedsCheckpoint(cols: SimAsset[]): boolean {
  return cols.some((c) => c.fallbackFeed !== undefined);
}

interface ReplayArgs {
  flag: boolean;
  stress: Stress;
  opts: SimOptions;
  start: number;
  end: number;
  flagger: Signer;
}

async function replay(
  ctx: SimContext,
  ep: EpisodeSpec,
  params: RunParams,
  assets: SimAsset[],
  a: ReplayArgs,
): Promise<RunResult> {
  const { core, id, fund } = ctx;
  const progress = a.opts.progress ?? (() => undefined);
  const passes = a.opts.passes ?? 3;
  const keeperEvery = Math.max(1, params.keeperEvery ?? 1);
  const startBlock = (await ethers.provider.getBlockNumber()) + 1;
  const keeper = new Keeper({
    core,
    marketId: id,
    signer: ctx.keeperSigner,
    flagSigner: a.flagger,
    mode: "flash",
    liquidator: ctx.liquidator,
    swapper: await ctx.swapper.getAddress(),
    swapFee: wad(String(params.swapFee ?? 0.003)),
    flag: a.flag,
    startBlock: 0,
    fireAndForget: true,
    rawSend: true,
    gasLimit: 2_500_000n,
    flagTip: 3n * 10n ** 9n,
    liquidationTip: 1n * 10n ** 9n,
    maxLiquidationsPerTick: params.keeperMaxPerTick,
    checkpointAdapters: await Promise.all(
      ctx.collaterals.filter((c) => c.fallbackFeed).map((c) => c.adapter.getAddress()),
    ),
    log: a.opts.keeperLog,
  });
  ctx.keeper = keeper;
  if (a.opts.beforeReplay) await a.opts.beforeReplay(ctx);
  const supplyAtStart = (await core.market(id)).totalSupplyAssets;
  const lossAtStart = await core.lossTotals(id);
  const tokenState = await tokenSnapshot(assets);

  // Steps: every distinct data time with a round.
  const byTime = new Map<number, { asset: SimAsset; round: Round }[]>();
  for (const asset of assets) {
    for (const round of asset.rounds) {
      const list = byTime.get(round.time) ?? [];
      list.push({ asset, round });
      byTime.set(round.time, list);
    }
  }
  if (a.stress.sequencer) {
    for (const t of [a.stress.sequencer.downAt, a.stress.sequencer.upAt]) if (!byTime.has(t)) byTime.set(t, []);
  }
  for (const t of a.opts.extraSteps ?? []) if (!byTime.has(t)) byTime.set(t, []);
  const times = [...byTime.keys()].sort((x, y) => x - y);
  const main = ctx.collaterals[0]!;

  // Tallies.
  const phases = new Map<string, Phase>();
  const phaseOf = (t: number): Phase => {
    const name = new Date(t * 1000).toISOString().slice(0, 10);
    let p = phases.get(name);
    if (!p) {
      p = { name, price: {}, liquidations: 0, badDebt: 0n, fromReserves: 0n, fromInsurance: 0n, socialized: 0n };
      phases.set(name, p);
    }
    return p;
  };
  const flagged = new Map<string, bigint>();
  let pending = 0n;
  let exits = 0;
  let exitsWhilePending = 0;
  let liquidations = 0;
  let failedTx = 0;
  let supplied = 0n;
  let withdrawn = 0n;
  let supplierInterest = 0n;
  const perEvent: { amount: bigint; parts: bigint }[] = [];
  const withdrawnBy = new Map<string, bigint>();
  const liquidatedAt = new Map<number, Set<string>>();
  const priceHalts: Record<string, number> = {};
  const exited = new Set<string>();
  const chart: ChartPoint[] = [];
  let cumBad = 0n;
  let blocks = 0;
  let quiet = false;
  let skipped = 0;
  const lastAnswer = new Map<SimAsset, bigint>();
  const chartEvery = Math.max(1, Math.floor(times.length / 500));
  let lastChartStep = -Infinity;

  const processLogs = (dataTime: number) => {
    for (const { log, name, args } of keeper.lastLogs) {
      if (log.blockNumber < startBlock) continue;
      const ph = phaseOf(dataTime);
      if (name === "ShortfallFlagged" || name === "ShortfallCleared") {
        const b = String(args.borrower).toLowerCase();
        const amt = name === "ShortfallFlagged" ? (args.amount as bigint) : 0n;
        pending += amt - (flagged.get(b) ?? 0n);
        flagged.set(b, amt);
      } else if (name === "Withdraw") {
        exits++;
        if (pending > 0n) exitsWhilePending++;
        withdrawn += args.assets as bigint;
        const who = String(args.onBehalf).toLowerCase();
        withdrawnBy.set(who, (withdrawnBy.get(who) ?? 0n) + (args.assets as bigint));
      } else if (name === "Supply") {
        supplied += args.assets as bigint;
      } else if (name === "AccrueInterest") {
        supplierInterest += (args.interest as bigint) - (args.toReserves as bigint) - (args.toInsurance as bigint);
      } else if (name === "Liquidate") {
        liquidations++;
        ph.liquidations++;
        const set = liquidatedAt.get(log.blockNumber) ?? new Set<string>();
        set.add(String(args.borrower).toLowerCase());
        liquidatedAt.set(log.blockNumber, set);
      } else if (name === "BadDebtRealized") {
        const amount = args.amount as bigint;
        const fr = args.fromReserves as bigint;
        const fi = args.fromInsurance as bigint;
        const so = args.socialized as bigint;
        perEvent.push({ amount, parts: fr + fi + so });
        ph.badDebt += amount;
        ph.fromReserves += fr;
        ph.fromInsurance += fi;
        ph.socialized += so;
        cumBad += amount;
      }
    }
  };

  const loanDec = ep.loan.decimals;
  const toUsd = (x: bigint) => Number(x) / 10 ** loanDec;
  let lastView: MarketView | undefined;
  let lastHealth: PositionHealth[] = [];
  const pendingHashes: string[] = [];
  const collect = async () => {
    for (const h of pendingHashes.splice(0)) {
      const r = await ethers.provider.getTransactionReceipt(h);
      if (!r) throw new Error(`transaction ${h} not mined`);
      if (r.status !== 1) failedTx++;
    }
  };

  await rpc("evm_setAutomine", [false]);
  try {
    for (let k = 0; k < times.length; k++) {
      const t = times[k]!;
      const chainT = t + ctx.offset;
      const rounds = byTime.get(t)!;
      // Block A: the rounds.
      for (const { asset, round } of rounds) {
        const feed = asset.feed;
        if ("updateRoundData" in feed) {
          await sendRaw(
            ctx,
            feed,
            (feed as MockV3Aggregator).interface.encodeFunctionData("updateRoundData", [
              asset.roundId,
              round.answer,
              chainT,
              chainT,
            ]),
          );
        } else {
          const dies = a.stress.primaryDies;
          if (dies && t >= dies.at) {
            if (!(await (feed as MockFeed).reverts()))
              await (feed as MockFeed).setReverts(true, { gasLimit: 100_000n });
          } else {
            await (feed as MockFeed).set(round.answer, chainT, { gasLimit: 200_000n });
          }
          await asset.fallbackFeed!.updateRoundData(asset.roundId, round.answer, chainT, chainT, {
            gasLimit: 200_000n,
          });
        }
        asset.roundId++;
      }
      if (a.stress.sequencer && ctx.sequencer) {
        const s = a.stress.sequencer;
        if (t === s.downAt) await ctx.sequencer.set(1, chainT, { gasLimit: 100_000n });
        if (t === s.upAt) await ctx.sequencer.set(0, chainT, { gasLimit: 100_000n });
      }
      prof.t("publish");
      await ctx.mine(chainT);
      prof.t("mineA");
      blocks++;
      const ph = phaseOf(t);
      for (const c of ctx.collaterals) {
        const last = [...rounds].reverse().find((r) => r.asset === c);
        if (!last) continue;
        const p = Number(last.round.price);
        const cur = ph.price[c.spec.symbol];
        ph.price[c.spec.symbol] = { close: p, min: cur ? Math.min(cur.min, p) : p };
      }
      if (a.opts.onStep) {
        await a.opts.onStep(ctx, {
          index: k,
          dataTime: t,
          chainTime: chainT,
          rounds: rounds.map((r) => ({ symbol: r.asset.spec.symbol, round: r.round })),
        });
      }

      // Skip the observation when it cannot find anything new: every price in this block went up (or stayed),
      // and the last observation saw nothing liquidatable, short or flagged. (Interest alone moves health by far
      // less than a round; the next falling round catches it.)
      const risingOnly =
        quiet &&
        rounds.every(({ asset, round }) => {
          const prev = lastAnswer.get(asset);
          const isLoan = asset === ctx.loan;
          return prev !== undefined && (isLoan ? round.answer <= prev : round.answer >= prev);
        }) &&
        rounds.length > 0;
      for (const { asset, round } of rounds) lastAnswer.set(asset, round.answer);
      if (risingOnly && !a.opts.onStep) {
        skipped++;
        continue;
      }
      // Keeper passes (and the leavers, who watch every block).
      for (let pass = 0; pass <= passes; pass++) {
        prof.t("misc");
        const obs = await keeper.observe();
        prof.t("observe");
        processLogs(t);
        lastView = obs.view;
        lastHealth = obs.health;
        quiet =
          obs.view.priceErrors.length === 0 &&
          obs.health.every((h) => !h.invalid && h.hf >= WAD && h.shortfall === 0n && h.flagged === 0n);
        if (pass === 0 && (k - lastChartStep >= chartEvery || obs.health.some((h) => h.hf < WAD))) {
          chart.push(await chartPoint(ctx, obs.view, t, cumBad, toUsd));
          lastChartStep = k;
        }
        prof.t("chart");
        let sent = 0;
        if (k % keeperEvery === 0) {
          const res = await keeper.act(obs.view, obs.health);
          pendingHashes.push(...res.sent.map((s) => s.hash));
          sent += res.sent.length;
          for (const f of res.skipped) {
            const why = f.reason.split("(")[0]!;
            if (why.includes("price invalid")) priceHalts[why] = (priceHalts[why] ?? 0) + 1;
          }
          if (obs.view.priceErrors.length && obs.health.some((h) => h.invalid)) {
            for (const e of obs.view.priceErrors) {
              const name = e.split(": ")[1]?.split("(")[0] ?? e;
              priceHalts[name] = (priceHalts[name] ?? 0) + 1;
            }
          }
        }
        prof.t("act");
        sent += await leaversAct(ctx, obs.view, obs.health, exited, pendingHashes);
        prof.t("leavers");
        if (sent === 0) break;
        await ctx.mine(chainT + pass + 1);
        blocks++;
        prof.t("mineB");
        await collect();
        prof.t("collect");
      }
      if (k % 50 === 0 || k === times.length - 1) {
        progress(
          `  [${a.flag ? "flags" : "no flags"}] step ${k + 1}/${times.length} ${new Date(t * 1000).toISOString().slice(0, 16)} ` +
            `${main.spec.symbol} ${lastPriceOf(main, t)} liquidations ${liquidations} bad debt ${fmtUnits(cumBad, loanDec)}`,
        );
      }
    }
    await keeper.sync();
    processLogs(times[times.length - 1] ?? a.end);
  } finally {
    await rpc("evm_setAutomine", [true]);
  }
  if (process.env.PROFILE) progress(`profile: ${prof.dump()}; ${skipped} rising steps skipped`);

  // ------------------------------------------------------------------ results and invariants
  const m = await core.market(id);
  const loss = await core.lossTotals(id);
  const badDebt = loss.badDebtRealized - lossAtStart.badDebtRealized;
  const fromReserves = loss.fromReserves - lossAtStart.fromReserves;
  const fromInsurance = loss.fromInsurance - lossAtStart.fromInsurance;
  const socialized = loss.socialized - lossAtStart.socialized;
  const inv: InvariantResult[] = [];
  const check = (name: string, held: boolean, detail: string) => inv.push({ name, held, detail });

  check(
    "bad debt = from reserves + from insurance + socialized",
    badDebt === fromReserves + fromInsurance + socialized && perEvent.every((e) => e.amount === e.parts),
    `${badDebt} = ${fromReserves} + ${fromInsurance} + ${socialized} (${perEvent.length} events)`,
  );
  const expectedSupply = supplyAtStart + supplied - withdrawn + supplierInterest - socialized;
  check(
    "supplier assets lost = socialized",
    m.totalSupplyAssets === expectedSupply,
    `totalSupplyAssets ${m.totalSupplyAssets} = start ${supplyAtStart} + supplied ${supplied} - withdrawn ${withdrawn} + interest ${supplierInterest} - socialized ${socialized}`,
  );
  const cash = await ctx.loan.token.balanceOf(await core.getAddress());
  check(
    "core identity: cash + borrowed = supplied + reserves + premium owed",
    cash + m.totalBorrowAssets === m.totalSupplyAssets + m.reserves + m.premiumOwed,
    `${cash} + ${m.totalBorrowAssets} vs ${m.totalSupplyAssets} + ${m.reserves} + ${m.premiumOwed}`,
  );
  const tokensAfter = await tokenSnapshot(assets);
  const tokenOk = tokensAfter.every(
    (s, i) => s.totalSupply === tokenState[i]!.totalSupply && s.sumOfHolders === s.totalSupply,
  );
  check(
    "no token created or destroyed",
    tokenOk,
    tokensAfter
      .map((s, i) => `${s.symbol}: supply ${tokenState[i]!.totalSupply} -> ${s.totalSupply}, holders ${s.sumOfHolders}`)
      .join("; "),
  );
  // Positions at the end.
  await Promise.all(ctx.borrowers.map((b) => keeper.refresh(b.toLowerCase())));
  const orphan = [...keeper.positions.values()].filter(
    (p) => p.borrowShares > 0n && p.collateral.every((c) => c === 0n),
  );
  check("no position left with debt and no collateral", orphan.length === 0, `${orphan.length} found`);
  const healthyLiquidated = await healthyLiquidations(ctx, liquidatedAt);
  check(
    "no healthy position liquidated",
    healthyLiquidated.length === 0,
    `${liquidatedAt.size} liquidation blocks checked; ${healthyLiquidated.join(",") || "none healthy"}`,
  );
  const capCheck = await insuranceCapCheck(fund, startBlock);
  check("insurance draw never above its caps", capCheck.ok, capCheck.detail);
  const pendingNow = (await core.market(id)).pendingShortfall;
  const sumFlags = [...keeper.positions.values()].reduce((s, p) => s + p.shortfall, 0n);
  check("pendingShortfall = sum of flagged positions", pendingNow === sumFlags, `${pendingNow} vs ${sumFlags}`);

  // Suppliers.
  const finalView = await keeper.view();
  const uncovered = await core.uncoveredShortfall(id);
  const acc = finalView.accrued;
  const supplierResults: SupplierResult[] = [];
  for (const s of ctx.suppliers) {
    const addr = (await s.signer.getAddress()).toLowerCase();
    const [shares] = await core.position(id, addr);
    const remainingValue = previewRedeem(acc, uncovered, shares);
    const out = withdrawnBy.get(addr) ?? 0n;
    const lossAmt = s.deposited - out - remainingValue;
    supplierResults.push({
      address: addr,
      role: s.role,
      deposited: s.deposited,
      withdrawn: out,
      remainingValue,
      lossBps: Number((lossAmt * 1_000_000n) / s.deposited) / 100,
    });
  }
  // Stuck positions: still liquidatable but not liquidated at the end.
  const stuck: RunResult["stuck"] = [];
  if (lastView) {
    const h = keeper.health(finalView);
    for (const x of h) {
      if (x.invalid) stuck.push({ borrower: x.borrower, debt: 0n, reason: x.invalid });
      else if (x.hf < WAD) {
        const p = keeper.positions.get(x.borrower)!;
        const plan = keeper.bestLiquidation(finalView, p, x.hf);
        stuck.push({ borrower: x.borrower, debt: x.debt, reason: typeof plan === "string" ? plan : "liquidatable" });
      }
    }
  }
  void lastHealth;
  const openDebtAtEnd = m.totalBorrowAssets;
  const supplierLossBps = supplyAtStart === 0n ? 0 : Number((socialized * 1_000_000n) / supplyAtStart) / 100;
  return {
    flag: a.flag,
    liquidations,
    failedTx,
    badDebt,
    fromReserves,
    fromInsurance,
    socialized,
    supplyAtStart,
    supplierLossBps,
    suppliers: supplierResults,
    exitsWhilePending,
    exits,
    phases: [...phases.values()],
    chart,
    invariants: inv,
    steps: times.length,
    blocks,
    priceHalts,
    stuck,
    openDebtAtEnd,
  };
}

function lastPriceOf(a: SimAsset, t: number): string {
  let p = a.rounds[0]?.price ?? "?";
  for (const r of a.rounds) {
    if (r.time > t) break;
    p = r.price;
  }
  return p;
}

async function chartPoint(
  ctx: SimContext,
  v: MarketView,
  t: number,
  cumBad: bigint,
  toUsd: (x: bigint) => number,
): Promise<ChartPoint> {
  // Collateral value from the keeper's positions (their sum is each collateral's total supplied).
  const totals = ctx.collaterals.map(() => 0n);
  for (const p of ctx.keeper!.positions.values())
    p.collateral.forEach((c, i) => i < totals.length && (totals[i] = totals[i]! + c));
  let collateral = 0;
  totals.forEach((amount, i) => {
    const p = v.collateralPrices[i];
    if (p) collateral += toUsd((mulDivDown(amount, p, PRICE_SCALE) * 10n ** BigInt(ctx.loan.spec.decimals)) / WAD);
  });
  const gross = BigInt(
    (await rpc("eth_call", [
      { to: await ctx.fund.getAddress(), data: ctx.fund.interface.encodeFunctionData("grossAssets") },
      "latest",
    ])) as string,
  );
  const price = v.collateralPrices[0] ? Number(lastPriceOf(ctx.collaterals[0]!, t)) : NaN;
  return {
    time: t,
    price,
    debt: toUsd(v.market.totalBorrowAssets),
    collateral,
    insurance: toUsd(gross),
    badDebt: toUsd(cumBad),
  };
}

/** Sends a transaction from the deployer without waiting (automine is off). */
async function sendRaw(
  ctx: SimContext,
  to: { getAddress(): Promise<string> },
  data: string,
  from?: string,
): Promise<string> {
  return (await rpc("eth_sendTransaction", [
    {
      from: from ?? (await ctx.deployer.getAddress()),
      to: await to.getAddress(),
      data,
      gas: "0x493e0",
      maxPriorityFeePerGas: "0x" + (4n * 10n ** 9n).toString(16),
      maxFeePerGas: "0x" + (1000n * 10n ** 9n).toString(16),
    },
  ])) as string;
}

/** Leaving suppliers: as soon as any position is short, each withdraws all it can (limited by liquidity). */
async function leaversAct(
  ctx: SimContext,
  v: MarketView,
  health: PositionHealth[],
  exited: Set<string>,
  hashes: string[],
): Promise<number> {
  if (!health.some((h) => !h.invalid && h.shortfall > 0n)) return 0;
  const m = v.accrued;
  let available = m.totalSupplyAssets > m.totalBorrowAssets ? m.totalSupplyAssets - m.totalBorrowAssets : 0n;
  let sent = 0;
  for (const s of ctx.suppliers) {
    if (s.role !== "leaver") continue;
    const addr = await s.signer.getAddress();
    if (exited.has(addr)) continue;
    const [shares] = await ctx.core.position(ctx.id, addr);
    if (shares === 0n) {
      exited.add(addr);
      continue;
    }
    const uncovered = await ctx.core.uncoveredShortfall(ctx.id);
    const value = previewRedeem(m, uncovered, shares);
    const minUnit = 10n ** BigInt(ctx.loan.spec.decimals);
    let tx;
    if (value + minUnit < available) {
      tx = await ctx.core.connect(s.signer).withdraw(ctx.id, 0, shares, addr, addr, {
        gasLimit: 500_000n,
        maxPriorityFeePerGas: 2n * 10n ** 9n,
        maxFeePerGas: 1000n * 10n ** 9n,
      });
      available -= value;
    } else {
      const amount = (available * 98n) / 100n;
      if (amount < minUnit) continue;
      tx = await ctx.core.connect(s.signer).withdraw(ctx.id, amount, 0, addr, addr, {
        gasLimit: 500_000n,
        maxPriorityFeePerGas: 2n * 10n ** 9n,
        maxFeePerGas: 1000n * 10n ** 9n,
      });
      available -= amount;
    }
    hashes.push(tx.hash);
    sent++;
  }
  return sent;
}

interface TokenState {
  symbol: string;
  totalSupply: bigint;
  sumOfHolders: bigint;
}

/** Total supply and the sum of balances of every address that ever received the token. */
async function tokenSnapshot(assets: SimAsset[]): Promise<TokenState[]> {
  const topic = ethers.id("Transfer(address,address,uint256)");
  const out: TokenState[] = [];
  for (const a of assets) {
    const addr = await a.token.getAddress();
    const logs = await ethers.provider.getLogs({ address: addr, topics: [topic], fromBlock: 0, toBlock: "latest" });
    const holders = new Set<string>();
    for (const l of logs) holders.add(ethers.getAddress("0x" + l.topics[2]!.slice(26)));
    let sum = 0n;
    const list = [...holders];
    for (let i = 0; i < list.length; i += 200) {
      const bals = await Promise.all(list.slice(i, i + 200).map((h) => a.token.balanceOf(h)));
      for (const b of bals) sum += b;
    }
    out.push({ symbol: a.spec.symbol, totalSupply: await a.token.totalSupply(), sumOfHolders: sum });
  }
  return out;
}

/** Each liquidated position was unhealthy just before its liquidation block (market accrued to that block). */
async function healthyLiquidations(ctx: SimContext, at: Map<number, Set<string>>): Promise<string[]> {
  const bad: string[] = [];
  const { core, id } = ctx;
  const cfg = await core.config(id);
  const risks = await Promise.all(ctx.collaterals.map((_, i) => core.collateral(id, i)));
  const accrual = {
    reserveFactor: cfg.reserveFactor,
    insurancePremiumFactor: cfg.insurancePremiumFactor,
    rateModel: {
      baseRate: cfg.rateModel.baseRate,
      slope1: cfg.rateModel.slope1,
      slope2: cfg.rateModel.slope2,
      targetUtilization: cfg.rateModel.targetUtilization,
    },
    insuranceFund: cfg.insuranceFund,
  };
  for (const [block, set] of at) {
    const tag = block - 1;
    const ts = BigInt((await ethers.provider.getBlock(block))!.timestamp);
    const m: MarketState = copyMarket(await core.market(id, { blockTag: tag }));
    const acc = accrueMarket(m, accrual, ts);
    const loanPrice = await ctx.loan.adapter.price({ blockTag: tag });
    const colPrices = await Promise.all(ctx.collaterals.map((c) => c.adapter.price({ blockTag: tag }).catch(() => 0n)));
    for (const b of set) {
      const [, borrowShares, , colls] = await core.position(id, b, { blockTag: tag });
      const v = valuation(acc, { borrowShares, collateral: colls.map((c) => c) }, risks, {
        loan: loanPrice,
        collaterals: colPrices,
      });
      if (healthFactor(v) >= WAD) bad.push(`${b}@${block}`);
    }
  }
  return bad;
}

/** Every draw <= per-event cap x gross assets before it, and the window total <= window share of the window's base. */
async function insuranceCapCheck(fund: InsuranceFund, fromBlock: number): Promise<{ ok: boolean; detail: string }> {
  const logs = await fund.queryFilter(fund.filters.Drawn(), fromBlock, "latest");
  const perEvent = await fund.maxDrawPerEvent();
  const share = await fund.windowShare();
  const byBlock = new Map<number, typeof logs>();
  for (const l of logs) byBlock.set(l.blockNumber, [...(byBlock.get(l.blockNumber) ?? []), l]);
  let ok = true;
  let worst = 0;
  for (const [block, list] of byBlock) {
    const grossEnd = await fund.grossAssets({ blockTag: block });
    let after = 0n; // draws later in the block
    for (let i = list.length - 1; i >= 0; i--) {
      const e = list[i]!;
      const amount = e.args.amount;
      const grossBefore = grossEnd + after + amount;
      const drawnAfter = e.args.drawnInWindow;
      const drawnBefore = drawnAfter - amount;
      const capEvent = (grossBefore * perEvent) / WAD;
      const capWindow = ((grossBefore + drawnBefore) * share) / WAD;
      if (amount > capEvent || drawnAfter > capWindow) ok = false;
      if (capEvent > 0n) worst = Math.max(worst, Number((amount * 10000n) / capEvent) / 100);
      after += amount;
    }
  }
  return { ok, detail: `${logs.length} draws; largest draw = ${worst}% of its per-event cap` };
}

/** Base units as a short decimal string. */
export function fmtUnits(x: bigint, decimals: number, digits = 2): string {
  const neg = x < 0n;
  const a = neg ? -x : x;
  const s = ethers.formatUnits(a, decimals);
  const [w, f = ""] = s.split(".");
  return `${neg ? "-" : ""}${w!.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${digits ? "." + f.padEnd(digits, "0").slice(0, digits) : ""}`;
}

export { toAnswer };
