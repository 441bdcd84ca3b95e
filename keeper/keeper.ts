/**
 * Ballast liquidation keeper (library): one market, driven by `tick()`. Works against any JSON-RPC endpoint through
 * an ethers v6 Signer. The service around it (CLI, config, every market of a deployment, logs, metrics) is
 * keeper/cli.ts and keeper/service.ts; the crash replay drives this class directly.
 *
 * - Discovers positions from the core's events, incrementally from a start block (only positions touched by new
 *   events are re-read), and values them off-chain with the SDK math (sdk/math.ts) at the adapters' prices.
 * - Flags every position found short (`flagShortfall`) and re-flags it when the estimate grows, before
 *   liquidating it; clears flags of positions that recovered.
 * - Liquidates the most underwater position first, choosing the collateral and amount that pay best after gas
 *   (exact amounts from `liquidationAmounts`, with fall-backs around the dust rules).
 * - Pays either through the FlashLiquidator (the callback sells the collateral on a swapper) or from inventory
 *   (keeper/strategy.ts); in flash mode a pluggable quote function re-checks the profit before sending.
 * - Holds every transaction while the gas price is above `gasPriceCap`.
 * - Reports each decision as an event (`onEvent`: one structured log line each) and as a text line (`log`).
 * - Survives lost races and reverts: each action is simulated first (unless `fireAndForget`), a revert is decoded,
 *   logged and skipped, and the loop goes on.
 * - Dry-run mode: plans and logs, sends nothing.
 */
import { Contract, Interface, type Log, type Provider, type Signer, type TransactionResponse } from "ethers";
import { IPriceAdapter__factory } from "../typechain-types";
import { MAX_UINT256, WAD, accrueMarket, copyMarket, type AccrualConfig, type MarketState } from "../sdk/math";
import type { BallastCore } from "../typechain-types";
import { flashCalldata, flashProfitUsd, inventoryCalldata } from "./strategy";
import type { KeeperOptions, LiquidationPlan, MarketView, PositionHealth, TickResult, TrackedPosition } from "./types";
import { positionsHealth, planLiquidation } from "./plan";
import { decodeRevert } from "./decode";
import { fmtWad, skipCode } from "./format";
import { RawSender } from "./sender";

export type { KeeperMode, QuoteFn } from "./strategy";
export type {
  KeeperEvent,
  KeeperOptions,
  TrackedPosition,
  MarketView,
  PositionHealth,
  LiquidationPlan,
  TickResult,
} from "./types";
export { pricesFor } from "./plan";
export { fmtWad, skipCode } from "./format";

const ZERO = "0x0000000000000000000000000000000000000000";
/** Selector of InsuranceFund.maxDraw(). */
const MAX_DRAW = "0x4e11482f";
/** Events after which the cached configuration is re-read. */
const GOVERNANCE_EVENTS = new Set([
  "CollateralAdded",
  "CollateralRiskSet",
  "AdapterSet",
  "MinAmountsSet",
  "LiquidationParamsSet",
  "PausedSet",
  "InsuranceFundSet",
  "RateModelSet",
  "FactorsSet",
]);
/** Selector of ChainlinkPriceAdapter.checkpoint(). */
const CHECKPOINT = "0xc2c4c5c1";
/** Errors that mean "someone else got there first" (or the state moved): skip, not a keeper bug. */
const RACE_ERRORS = new Set(["NoDebt", "HealthyPosition", "InsufficientBalance", "NotShort", "NotFlagged"]);

export class Keeper {
  readonly opts: KeeperOptions;
  readonly positions = new Map<string, TrackedPosition>();
  private readonly iface: Interface;
  private readonly adapterIface = IPriceAdapter__factory.createInterface();
  private lastBlock: number;
  private coreAddress = "";
  private provider: Provider;
  private prepared = false;
  private keeperAddress = ZERO;
  private head?: { number: number; timestamp: bigint };
  private readonly sender: RawSender;
  /** Set for one tick when the gas price is above the cap: every send is skipped with this reason. */
  private hold: string | undefined;
  private readonly log: (line: string) => void;
  /** Parsed core logs of this market seen by the last `sync`, in order. */
  lastLogs: { log: Log; name: string; args: Record<string, unknown> }[] = [];

  constructor(opts: KeeperOptions) {
    this.opts = opts;
    this.iface = opts.core.interface as unknown as Interface;
    this.lastBlock = (opts.startBlock ?? 0) - 1;
    const p = opts.signer.provider;
    if (!p) throw new Error("keeper signer needs a provider");
    this.provider = p;
    this.log = opts.log ?? (() => undefined);
    this.sender = new RawSender(p, opts, (method, params) => this.rpc(method, params));
  }

  get flagging(): boolean {
    return this.opts.flag ?? true;
  }

  /** eth_call through the provider's raw `send` when it has one (far less overhead than Contract calls). */
  private async ethCall(to: string, data: string, blockTag: string = "latest"): Promise<string> {
    const p = this.provider as Provider & { send?: (m: string, a: unknown[]) => Promise<unknown> };
    if (typeof p.send === "function") return (await p.send("eth_call", [{ to, data }, blockTag])) as string;
    return this.provider.call({ to, data, blockTag });
  }

  private async rpc<T>(method: string, params: unknown[]): Promise<T> {
    const p = this.provider as Provider & { send?: (m: string, a: unknown[]) => Promise<unknown> };
    if (typeof p.send !== "function") throw new Error("no raw send");
    return (await p.send(method, params)) as T;
  }

  private async latestBlock(): Promise<{ number: number; timestamp: bigint }> {
    try {
      const b = await this.rpc<{ number: string; timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
      return { number: Number(b.number), timestamp: BigInt(b.timestamp) };
    } catch {
      const b = await this.provider.getBlock("latest");
      if (!b) throw new Error("no latest block");
      return { number: b.number, timestamp: BigInt(b.timestamp) };
    }
  }

  /** Reads new core events up to the latest block and refreshes the positions they touch. */
  async sync(upTo?: { number: number; timestamp: bigint }): Promise<number> {
    if (!this.coreAddress) this.coreAddress = await this.opts.core.getAddress();
    const head = upTo ?? (await this.latestBlock());
    this.head = head;
    const latest = head.number;
    const dirty = new Set<string>();
    this.lastLogs = [];
    const chunk = this.opts.logChunk ?? 5000;
    for (let from = this.lastBlock + 1; from <= latest; from += chunk) {
      const to = Math.min(latest, from + chunk - 1);
      let logs: Log[];
      try {
        const raw = await this.rpc<
          { topics: string[]; data: string; blockNumber: string; logIndex: string; transactionHash: string }[]
        >("eth_getLogs", [
          { address: this.coreAddress, fromBlock: "0x" + from.toString(16), toBlock: "0x" + to.toString(16) },
        ]);
        logs = raw.map(
          (l) => ({ ...l, blockNumber: Number(l.blockNumber), index: Number(l.logIndex) }) as unknown as Log,
        );
      } catch {
        logs = await this.provider.getLogs({ address: this.coreAddress, fromBlock: from, toBlock: to });
      }
      for (const log of logs) {
        const parsed = this.iface.parseLog({ topics: [...log.topics], data: log.data });
        if (!parsed) continue;
        const args = parsed.args.toObject() as Record<string, unknown>;
        if (args.id !== undefined && args.id !== this.opts.marketId) continue;
        this.lastLogs.push({ log, name: parsed.name, args });
        if (GOVERNANCE_EVENTS.has(parsed.name)) this.configCache = undefined;
        const who = positionOwner(parsed.name, args);
        if (who) dirty.add(who.toLowerCase());
      }
    }
    this.lastBlock = latest;
    await Promise.all([...dirty].map((b) => this.refresh(b)));
    return latest;
  }

  /** Re-reads one position from the core. */
  async refresh(borrower: string): Promise<TrackedPosition> {
    const ret = await this.ethCall(
      this.coreAddress || (await this.opts.core.getAddress()),
      this.iface.encodeFunctionData("position", [this.opts.marketId, borrower]),
    );
    const [, borrowShares, shortfall, cols] = this.iface.decodeFunctionResult("position", ret) as unknown as [
      bigint,
      bigint,
      bigint,
      bigint[],
    ];
    const p: TrackedPosition = { borrower, borrowShares, shortfall, collateral: [...cols] };
    this.positions.set(borrower, p);
    return p;
  }

  private configCache?: {
    config: Awaited<ReturnType<BallastCore["config"]>>;
    cols: Awaited<ReturnType<BallastCore["collateral"]>>[];
  };

  private async configAndCollaterals() {
    if (!this.configCache) {
      const { core, marketId } = this.opts;
      const config = await core.config(marketId);
      const n = Number(config.collateralCount);
      const cols = await Promise.all([...Array(n).keys()].map((i) => core.collateral(marketId, i)));
      this.configCache = { config, cols };
    }
    return this.configCache;
  }

  /** Market totals, configuration and prices at the latest block. */
  async view(at?: { number: number; timestamp: bigint }): Promise<MarketView> {
    if (!this.coreAddress) this.coreAddress = await this.opts.core.getAddress();
    const { marketId } = this.opts;
    const [block, { config, cols }] = await Promise.all([
      at ? Promise.resolve(at) : this.latestBlock(),
      this.configAndCollaterals(),
    ]);
    const priceErrors: string[] = [];
    const priceData = this.adapterIface.encodeFunctionData("price");
    const readPrice = async (adapter: string): Promise<bigint | null> => {
      try {
        return BigInt(await this.ethCall(adapter, priceData));
      } catch (e) {
        priceErrors.push(`${adapter}: ${this.decode(e)}`);
        return null;
      }
    };
    const hasFund = config.insuranceFund !== ZERO;
    const [marketRet, fundRet, loanPrice, ...collateralPrices] = await Promise.all([
      this.ethCall(this.coreAddress, this.iface.encodeFunctionData("market", [marketId])),
      hasFund ? this.ethCall(config.insuranceFund, MAX_DRAW) : Promise.resolve("0x"),
      readPrice(config.loanAdapter),
      ...cols.map((c) => readPrice(c.adapter)),
    ]);
    const market = this.iface.decodeFunctionResult("market", marketRet)[0] as MarketState;
    const accrual: AccrualConfig = {
      reserveFactor: config.reserveFactor,
      insurancePremiumFactor: config.insurancePremiumFactor,
      rateModel: {
        baseRate: config.rateModel.baseRate,
        slope1: config.rateModel.slope1,
        slope2: config.rateModel.slope2,
        targetUtilization: config.rateModel.targetUtilization,
      },
      insuranceFund: config.insuranceFund,
    };
    const m = copyMarket(market);
    const timestamp = block.timestamp;
    const accrued = accrueMarket(m, accrual, timestamp + 1n > m.lastUpdate ? timestamp + 1n : m.lastUpdate);
    return {
      blockNumber: block.number,
      timestamp,
      market: m,
      accrued,
      accrual,
      risks: cols.map((c) => ({
        ltv: c.ltv,
        liquidationThreshold: c.liquidationThreshold,
        liquidationBonus: c.liquidationBonus,
      })),
      collateralTokens: cols.map((c) => c.token),
      closeFactorHfThreshold: config.closeFactorHfThreshold,
      minLeftover: config.minLeftover,
      protocolBonusShare: config.protocolBonusShare,
      paused: Number(config.paused),
      loanToken: config.loanToken,
      loanPrice: loanPrice ?? null,
      collateralPrices: collateralPrices.map((p) => p ?? null),
      priceErrors,
      fund: config.insuranceFund,
      fundMaxDraw: hasFund ? BigInt(fundRet) : null,
    };
  }

  /** Health of every tracked position with debt at `v` (sorted: most underwater first). */
  health(v: MarketView): PositionHealth[] {
    return positionsHealth(this.positions.values(), v);
  }

  /** The best liquidation of one position at `v`, or the reason there is none. */
  bestLiquidation(v: MarketView, p: TrackedPosition, hf: bigint): LiquidationPlan | string {
    return planLiquidation(this.opts, v, p, hf);
  }

  /** Approvals for inventory mode (once). */
  async prepare(): Promise<void> {
    if (this.prepared) return;
    this.prepared = true;
    this.keeperAddress = await this.opts.signer.getAddress();
    if (this.opts.dryRun) return;
    if (this.opts.mode === "inventory") {
      const v = await this.opts.core.config(this.opts.marketId);
      const erc20 = new Contract(
        v.loanToken,
        [
          "function approve(address,uint256) returns (bool)",
          "function allowance(address,address) view returns (uint256)",
        ],
        this.opts.signer,
      );
      const me = await this.opts.signer.getAddress();
      const allowance = (await erc20.getFunction("allowance")(me, await this.opts.core.getAddress())) as bigint;
      if (allowance < 2n ** 200n) {
        const tx = (await erc20.getFunction("approve")(
          await this.opts.core.getAddress(),
          MAX_UINT256,
        )) as TransactionResponse;
        if (!this.opts.fireAndForget) await tx.wait();
      }
    }
  }

  /** One round: sync, value, flag, liquidate. */
  async tick(): Promise<TickResult> {
    const { view, health } = await this.observe();
    return this.act(view, health);
  }

  /** Syncs events and values every position at the latest block, without acting. */
  async observe(): Promise<{ view: MarketView; health: PositionHealth[] }> {
    await this.prepare();
    const head = await this.latestBlock();
    await this.sync(head);
    const view = await this.view(head);
    return { view, health: this.health(view) };
  }

  /** Flags, clears and liquidates according to an observation. */
  async act(v: MarketView, health: PositionHealth[]): Promise<TickResult> {
    await this.checkpoints();
    const res: TickResult = {
      view: v,
      health,
      flagged: [],
      cleared: [],
      liquidations: [],
      skipped: [],
      sent: [],
      failed: [],
    };
    if (v.priceErrors.length) {
      this.note(
        "prices-invalid",
        { block: v.blockNumber, errors: v.priceErrors },
        `block ${v.blockNumber}: invalid prices: ${v.priceErrors.join("; ")}`,
      );
    }
    this.hold = await this.gasHold();
    // 1. Flags first, so the known loss is priced into withdrawals before anything else in the block.
    if (this.flagging) await this.flagAll(res, health);
    // 2. Liquidations, most underwater first.
    await this.liquidateAll(res, v, health);
    return res;
  }

  /** Keeps each fallback reference fresh while its primary feed is valid (a revert just means it is not). */
  private async checkpoints(): Promise<void> {
    if (this.opts.dryRun) return;
    for (const a of this.opts.checkpointAdapters ?? []) {
      try {
        await this.provider.call({ to: a, data: CHECKPOINT });
        await this.sender.sendRaw(this.opts.flagSigner ?? this.opts.signer, a, CHECKPOINT, this.opts.flagTip);
      } catch {
        // primary invalid: keep the last checkpoint
      }
    }
  }

  /** Why every transaction is held this tick (gas price above the cap), or undefined. */
  private async gasHold(): Promise<string | undefined> {
    const cap = this.opts.gasPriceCap;
    if (cap === undefined || this.opts.dryRun) return undefined;
    const fee = await this.provider.getFeeData();
    const price = fee.gasPrice ?? fee.maxFeePerGas ?? 0n;
    if (price <= cap) return undefined;
    const reason = `gas price ${price} wei above the cap ${cap}`;
    this.note("hold", { gasPrice: price, cap }, `holding transactions: ${reason}`);
    return reason;
  }

  private async flagAll(res: TickResult, health: PositionHealth[]): Promise<void> {
    for (const h of health) {
      if (h.invalid) continue;
      if (h.shortfall > h.flagged) {
        res.flagged.push(h.borrower);
        this.note(
          "flag",
          { borrower: h.borrower, estimate: h.shortfall, was: h.flagged, hf: fmtWad(h.hf) },
          `flag ${h.borrower} estimate ${h.shortfall} (was ${h.flagged}) hf ${fmtWad(h.hf)}`,
        );
        await this.send(res, "flag", h.borrower, () => this.flagCall("flagShortfall", h.borrower));
      } else if (h.shortfall === 0n && h.flagged > 0n) {
        res.cleared.push(h.borrower);
        this.note("clear", { borrower: h.borrower }, `clear ${h.borrower}: no longer short`);
        await this.send(res, "clear", h.borrower, () => this.flagCall("clearShortfall", h.borrower));
      }
    }
  }

  private skip(res: TickResult, borrower: string, code: string, reason: string, text: string): void {
    res.skipped.push({ borrower, reason, code });
    this.note("skip", { borrower, code, reason }, text);
  }

  private async liquidateAll(res: TickResult, v: MarketView, health: PositionHealth[]): Promise<void> {
    const liquidatable = health.filter((h) => !h.invalid && h.hf < WAD);
    const max = this.opts.maxLiquidationsPerTick ?? Infinity;
    for (const h of liquidatable) {
      if (res.liquidations.length >= max) break;
      const p = this.positions.get(h.borrower);
      if (!p) continue;
      const plan = this.bestLiquidation(v, p, h.hf);
      if (typeof plan === "string") {
        this.skip(res, h.borrower, skipCode(plan), plan, `skip ${h.borrower} hf ${fmtWad(h.hf)}: ${plan}`);
        continue;
      }
      const quoted = await this.quoteProfit(v, plan);
      if (quoted === null) {
        this.skip(res, h.borrower, "no-quote", "no quote for the sale", `skip ${h.borrower}: no quote for the sale`);
        continue;
      }
      plan.profitUsd = quoted;
      if (plan.profitUsd < (this.opts.minProfitUsd ?? 0n)) {
        const usd = fmtWad(plan.profitUsd);
        this.skip(
          res,
          h.borrower,
          "unprofitable",
          `unprofitable (${usd} USD)`,
          `skip ${h.borrower}: unprofitable after gas (${usd} USD)`,
        );
        continue;
      }
      const veto = this.opts.vet ? await this.opts.vet(v, plan) : undefined;
      if (veto) {
        this.skip(res, h.borrower, "unprofitable", veto, `skip ${h.borrower}: ${veto}`);
        continue;
      }
      res.liquidations.push(plan);
      const { repaid, seized, badDebt } = plan.preview;
      this.note(
        "liquidate",
        {
          borrower: h.borrower,
          hf: fmtWad(h.hf),
          index: plan.index,
          repaid,
          seized,
          badDebt: badDebt?.amount ?? 0n,
          profitUsd: fmtWad(plan.profitUsd),
        },
        `liquidate ${h.borrower} hf ${fmtWad(h.hf)} collateral #${plan.index} repay ${repaid} seize ` +
          `${seized}${badDebt ? ` bad debt ${badDebt.amount}` : ""} profit ~${fmtWad(plan.profitUsd)} USD`,
      );
      await this.send(res, "liquidate", h.borrower, () => this.liquidateCall(plan));
    }
  }

  /** The plan's profit from the quote function (flash mode with `quote`), else its oracle estimate; null: no route. */
  private async quoteProfit(v: MarketView, plan: LiquidationPlan): Promise<bigint | null> {
    const quote = this.opts.quote;
    if (this.opts.mode !== "flash" || !quote || v.loanPrice === null) return plan.profitUsd;
    let proceeds: bigint | null;
    try {
      proceeds = await quote({
        tokenIn: v.collateralTokens[plan.index]!,
        tokenOut: v.loanToken,
        amountIn: plan.preview.seizedToReceiver,
      });
    } catch {
      proceeds = null;
    }
    if (proceeds === null) return null;
    return flashProfitUsd(proceeds, plan.preview.repaid, v.loanPrice, this.opts.gasCostUsd ?? 5n * WAD);
  }

  /** Reports one decision: a text line (`log`) and a structured event (`onEvent`). */
  private note(event: string, fields: Record<string, unknown>, text: string): void {
    this.log(text);
    this.opts.onEvent?.({ event, marketId: this.opts.marketId, ...fields });
  }

  /** flagShortfall or clearShortfall of `borrower`, from the flag signer. */
  private flagCall(fn: "flagShortfall" | "clearShortfall", borrower: string) {
    return {
      signer: this.opts.flagSigner ?? this.opts.signer,
      to: this.coreAddress,
      data: this.iface.encodeFunctionData(fn, [this.opts.marketId, borrower]),
      tip: this.opts.flagTip,
    };
  }

  private liquidateCall(plan: LiquidationPlan) {
    const target = {
      marketId: this.opts.marketId,
      borrower: plan.borrower,
      index: plan.index,
      repayAssets: plan.repayAssets,
    };
    if (this.opts.mode === "flash") {
      const liq = this.opts.liquidator;
      if (!liq || !this.opts.swapper) throw new Error("flash mode needs a liquidator and a swapper");
      const data = flashCalldata(liq.interface as unknown as Interface, target, this.opts.swapper);
      return { signer: this.opts.signer, to: liq.target as string, data, tip: this.opts.liquidationTip };
    }
    const data = inventoryCalldata(this.iface, target, this.keeperAddress);
    return { signer: this.opts.signer, to: this.coreAddress, data, tip: this.opts.liquidationTip };
  }

  private async send(
    res: TickResult,
    kind: "flag" | "clear" | "liquidate",
    borrower: string,
    build: () => { signer: Signer; to: string; data: string; tip?: bigint },
  ): Promise<void> {
    if (this.opts.dryRun) return;
    if (this.hold) {
      this.skip(res, borrower, "gas-price-cap", `${kind} held: ${this.hold}`, `${kind} ${borrower} held: ${this.hold}`);
      return;
    }
    const call = build();
    const from = await call.signer.getAddress();
    const data = call.data;
    try {
      if (this.opts.fireAndForget) {
        const hash = await this.sender.sendRaw(call.signer, call.to, data, call.tip);
        res.sent.push({ kind, borrower, hash });
        return;
      }
      // Simulate first: a lost race or a revert is decoded and skipped without spending gas.
      await this.provider.call({ from, to: call.to, data });
      const tx = await call.signer.sendTransaction({ to: call.to, data });
      res.sent.push({ kind, borrower, hash: tx.hash });
      const receipt = await tx.wait();
      if (!receipt || receipt.status !== 1) throw new Error("reverted on chain");
    } catch (e) {
      const reason = this.decode(e);
      const race = RACE_ERRORS.has(reason.split("(")[0] ?? "");
      res.failed.push({ kind, borrower, reason });
      this.note(
        "failed",
        { kind, borrower, reason, race },
        `${kind} ${borrower} failed${race ? " (lost a race or state moved)" : ""}: ${reason}; continuing`,
      );
    }
  }

  /** Decodes a revert into `Name(args)` using the core's, the liquidator's and the adapter's ABIs. */
  decode(e: unknown): string {
    const ifaces = [this.iface, this.opts.liquidator?.interface as unknown as Interface | undefined, this.adapterIface];
    return decodeRevert(e, ifaces);
  }
}

/** The address whose position an event changes, if any. */
export function positionOwner(name: string, args: Record<string, unknown>): string | undefined {
  switch (name) {
    case "Borrow":
    case "Repay":
    case "SupplyCollateral":
    case "WithdrawCollateral":
      return args.onBehalf as string;
    case "Liquidate":
    case "BadDebtRealized":
    case "ShortfallFlagged":
    case "ShortfallCleared":
      return args.borrower as string;
    default:
      return undefined;
  }
}
