/**
 * The checks of a replay: the accounting invariants (bad debt split, supplier assets, the core identity, no token
 * created or destroyed, no orphan debt, no healthy position liquidated, insurance draws within caps, pending
 * shortfall = flags), each with the figures it compared.
 */
import { ethers } from "hardhat";
import type { InsuranceFund } from "../typechain-types";
import { WAD, accrueMarket, copyMarket, healthFactor, valuation, type MarketState } from "../sdk/math";
import type { RunState } from "./state";
import type { InvariantResult, SimContext } from "./types";
import { lossTotals } from "../sdk/losses";
import { batchRead, sumBalances } from "./world/reader";
import { hex, rpc } from "./util";

/** The core's loss totals and the market's supply when the replay started. */
export interface StartPoint {
  startBlock: number;
  supplyAtStart: bigint;
  lossAtStart: { badDebtRealized: bigint; fromReserves: bigint; fromInsurance: bigint; socialized: bigint };
  tokens: TokenState[];
}

export interface LossDelta {
  badDebt: bigint;
  fromReserves: bigint;
  fromInsurance: bigint;
  socialized: bigint;
}

export async function lossSince(ctx: SimContext, s: StartPoint): Promise<LossDelta> {
  const loss = await lossTotals(ctx.core, ctx.id);
  return {
    badDebt: loss.badDebtRealized - s.lossAtStart.badDebtRealized,
    fromReserves: loss.fromReserves - s.lossAtStart.fromReserves,
    fromInsurance: loss.fromInsurance - s.lossAtStart.fromInsurance,
    socialized: loss.socialized - s.lossAtStart.socialized,
  };
}

async function accountingChecks(run: RunState, s: StartPoint, d: LossDelta, check: Check): Promise<void> {
  const { ctx, tally } = run;
  check(
    "bad debt = from reserves + from insurance + socialized",
    d.badDebt === d.fromReserves + d.fromInsurance + d.socialized && tally.perEvent.every((e) => e.amount === e.parts),
    `${d.badDebt} = ${d.fromReserves} + ${d.fromInsurance} + ${d.socialized} (${tally.perEvent.length} events)`,
  );
  const m = await ctx.core.market(ctx.id);
  const expectedSupply = s.supplyAtStart + tally.supplied - tally.withdrawn + tally.supplierInterest - d.socialized;
  check(
    "supplier assets lost = socialized",
    m.totalSupplyAssets === expectedSupply,
    `totalSupplyAssets ${m.totalSupplyAssets} = start ${s.supplyAtStart} + supplied ${tally.supplied} - withdrawn ${tally.withdrawn} + interest ${tally.supplierInterest} - socialized ${d.socialized}`,
  );
  const cash = await ctx.loan.token.balanceOf(await ctx.core.getAddress());
  check(
    "core identity: cash + borrowed = supplied + reserves + premium owed",
    cash + m.totalBorrowAssets === m.totalSupplyAssets + m.reserves + m.premiumOwed,
    `${cash} + ${m.totalBorrowAssets} vs ${m.totalSupplyAssets} + ${m.reserves} + ${m.premiumOwed}`,
  );
  const after = await tokenSnapshot(ctx);
  check(
    "no token created or destroyed",
    after.every((x, i) => x.totalSupply === s.tokens[i]!.totalSupply && x.sumOfHolders === x.totalSupply),
    after
      .map((x, i) => `${x.symbol}: supply ${s.tokens[i]!.totalSupply} -> ${x.totalSupply}, holders ${x.sumOfHolders}`)
      .join("; "),
  );
}

async function positionChecks(run: RunState, s: StartPoint, check: Check): Promise<void> {
  const { ctx, keeper, tally } = run;
  await Promise.all(ctx.borrowers.map((b) => keeper.refresh(b.toLowerCase())));
  const orphan = [...keeper.positions.values()].filter(
    (p) => p.borrowShares > 0n && p.collateral.every((c) => c === 0n),
  );
  check("no position left with debt and no collateral", orphan.length === 0, `${orphan.length} found`);
  const healthy = await healthyLiquidations(ctx, tally.liquidatedAt);
  check(
    "no healthy position liquidated",
    healthy.length === 0,
    `${tally.liquidatedAt.size} liquidation blocks checked; ${healthy.join(",") || "none healthy"}`,
  );
  const cap = await insuranceCapCheck(ctx.fund, s.startBlock);
  check("insurance draw never above its caps", cap.ok, cap.detail);
  const pendingNow = (await ctx.core.market(ctx.id)).pendingShortfall;
  const sumFlags = [...keeper.positions.values()].reduce((x, p) => x + p.shortfall, 0n);
  check("pendingShortfall = sum of flagged positions", pendingNow === sumFlags, `${pendingNow} vs ${sumFlags}`);
}

type Check = (name: string, held: boolean, detail: string) => void;

/** Every invariant of the replay, in a fixed order. */
export async function invariants(run: RunState, s: StartPoint, d: LossDelta): Promise<InvariantResult[]> {
  const out: InvariantResult[] = [];
  const check: Check = (name, held, detail) => out.push({ name, held, detail });
  await accountingChecks(run, s, d, check);
  await positionChecks(run, s, check);
  return out;
}

export interface TokenState {
  symbol: string;
  totalSupply: bigint;
  sumOfHolders: bigint;
}

/** Of every asset of the world: total supply and the sum of balances of every address that ever received it. */
export async function tokenSnapshot(ctx: SimContext): Promise<TokenState[]> {
  const topic = ethers.id("Transfer(address,address,uint256)");
  const out: TokenState[] = [];
  for (const a of [ctx.loan, ...ctx.collaterals]) {
    const addr = await a.token.getAddress();
    const logs = (await rpc("eth_getLogs", [
      { address: addr, topics: [topic], fromBlock: hex(ctx.fromBlock), toBlock: "latest" },
    ])) as { topics: string[] }[];
    const holders = new Set<string>();
    for (const l of logs) holders.add("0x" + l.topics[2]!.slice(26));
    const sum = await sumBalances(ctx.reader, addr, [...holders]);
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
    const who = [...set];
    const calls = who.map((b) => core.interface.encodeFunctionData("position", [id, b]));
    const rets = await batchRead(ctx.reader, await core.getAddress(), calls, tag);
    who.forEach((b, i) => {
      const [, borrowShares, , colls] = core.interface.decodeFunctionResult("position", rets[i]!);
      const position = { borrowShares: borrowShares as bigint, collateral: [...(colls as bigint[])] };
      const v = valuation(acc, position, risks, { loan: loanPrice, collaterals: colPrices });
      if (healthFactor(v) >= WAD) bad.push(`${b}@${block}`);
    });
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
