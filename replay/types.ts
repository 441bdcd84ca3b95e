/**
 * The replay's shared types: options of a run, the deployed world (SimContext), and the results a run returns.
 */
import type { Signer } from "ethers";
import type {
  BallastCore,
  ChainlinkPriceAdapter,
  FlashLiquidator,
  InsuranceFund,
  MockERC20,
  MockFeed,
  UniswapV3Swapper,
} from "../typechain-types";
import type { MockV3Aggregator } from "../typechain-types/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator";
import type { Keeper } from "../keeper/keeper";
import type { Round } from "./prices/feed";
import type { AssetSpec, EpisodeSpec, RunParams } from "./episodes";
import type { Venue } from "./world/venue";
import type { ArbitrageurSpec } from "./agents/arbitrageur";

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
  /** Run that comparison in a second process at the same time (replay/parallel.ts). Default false. */
  parallel?: boolean;
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

/** The market at the end of a phase (replay/phase-state.ts). */
export interface PhaseEnd {
  /** Collateral symbol -> total the core holds for the market (token base units). */
  collateral: Record<string, bigint>;
  /** Its value at the oracle's last round of the phase (USD; ETH in the stETH market), 2 decimals. */
  collateralValueUsd: number;
  /** Total borrow assets and total supply assets (loan base units). */
  debt: bigint;
  supply: bigint;
}

export interface Phase {
  name: string;
  price: Record<string, { close: number; min: number }>;
  liquidations: number;
  badDebt: bigint;
  fromReserves: bigint;
  fromInsurance: bigint;
  socialized: bigint;
  end?: PhaseEnd;
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
  /** The first collateral's Uniswap pool price (loan units per token). */
  poolPrice: number;
  debt: number;
  collateral: number;
  insurance: number;
  badDebt: number;
  /** Cumulative bad debt by who paid it. */
  fromReserves: number;
  fromInsurance: number;
  socialized: number;
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
  /** Liquidations the keeper skipped because the pool's quote did not cover repayment and gas. */
  unprofitableSkips: number;
  /** Value-weighted shortfall of the liquidation sales against the oracle price, fee included (bps). */
  avgSlippageBps: number;
  /** Largest distance of a pool price from the oracle price at the end of a block (bps). */
  maxPoolDeviationBps: number;
  arbitrageSwaps: number;
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
  /** The venue and the agents' stated parameters. */
  liquidity: {
    venue: "uniswap-v3";
    pools: { pair: string; depthUsd2Pct: number }[];
    arbitrageur: ArbitrageurSpec;
    keeperEveryBlocks: number;
    gasPriceGwei: number;
  };
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
  flagger: Signer;
  swapper: UniswapV3Swapper;
  venue: Venue;
  arbitrageur: { signer: Signer; spec: ArbitrageurSpec; cex: string; capital: Map<string, bigint> };
  liquidator: FlashLiquidator;
  /** The ReplayReader batching view calls (world/reader.ts). */
  reader: string;
  sequencer?: MockFeed;
  borrowers: string[];
  suppliers: { signer: Signer; role: SupplierResult["role"]; deposited: bigint }[];
  staker: Signer;
  offset: number;
  /** The block the replay's contracts were deployed from: no log scan starts earlier. */
  fromBlock: number;
  /** Data time of the price step being replayed. */
  lastDataTime?: number;
  /** Chain time of the last block mined. */
  lastMined: number;
  /** Mines the pending transactions in a block at chain time `chainTime`. */
  mine: (chainTime: number) => Promise<void>;
  keeper?: Keeper;
}
