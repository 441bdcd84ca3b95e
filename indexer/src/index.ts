/**
 * Indexing functions. Every event of the core and of the insurance funds lands in `event` (arguments as JSON);
 * the ones the app reads also land in their typed table and update the running totals.
 */
import { ponder } from "ponder:registry";
import schema from "ponder:schema";
import { replaceBigInts } from "ponder";
import { coreAbi, eventNames, fundAbi } from "../abis";
import { PARAMETER_EVENTS } from "../events";

/* eslint-disable @typescript-eslint/no-explicit-any -- the ABIs are read from artifacts, so events are untyped */
type Args = Record<string, any>;
type Ev = {
  id: string;
  args: Args;
  log: { address: `0x${string}`; logIndex: number };
  block: { number: bigint; timestamp: bigint };
  transaction: { hash: `0x${string}` };
};
type Ctx = { db: any };

const ACTIONS: Record<string, string> = {
  Supply: "supply",
  Withdraw: "withdraw",
  Borrow: "borrow",
  Repay: "repay",
  SupplyCollateral: "supplyCollateral",
  WithdrawCollateral: "withdrawCollateral",
};

const PARAMETER = new Set(PARAMETER_EVENTS);

const at = (e: Ev) => ({ block: e.block.number, timestamp: e.block.timestamp, tx: e.transaction.hash });

const ZERO_MARKET = {
  actions: 0,
  liquidations: 0,
  repaidAssets: 0n,
  seizedAssets: 0n,
  badDebtEvents: 0,
  badDebt: 0n,
  fromReserves: 0n,
  fromInsurance: 0n,
  socialized: 0n,
  flags: 0,
  parameterChanges: 0,
};
type MarketRow = typeof ZERO_MARKET & { market: bigint };

async function bumpMarket(ctx: Ctx, market: bigint, f: (r: MarketRow) => Partial<MarketRow>): Promise<void> {
  const row: MarketRow = (await ctx.db.find(schema.marketTotals, { market })) ?? { market, ...ZERO_MARKET };
  await ctx.db
    .insert(schema.marketTotals)
    .values({ ...row, ...f(row) })
    .onConflictDoUpdate(() => f(row));
}

const ZERO_FUND = { staked: 0n, unstaked: 0n, draws: 0, drawn: 0n, fromPremium: 0n };
type FundRow = typeof ZERO_FUND & { fund: `0x${string}` };

async function bumpFund(ctx: Ctx, fund: `0x${string}`, f: (r: FundRow) => Partial<FundRow>): Promise<void> {
  const row: FundRow = (await ctx.db.find(schema.fundTotals, { fund })) ?? { fund, ...ZERO_FUND };
  await ctx.db
    .insert(schema.fundTotals)
    .values({ ...row, ...f(row) })
    .onConflictDoUpdate(() => f(row));
}

async function logEvent(contract: string, name: string, e: Ev, ctx: Ctx): Promise<void> {
  await ctx.db.insert(schema.event).values({
    id: e.id,
    contract,
    address: e.log.address,
    name,
    market: typeof e.args.id === "bigint" ? e.args.id : null,
    args: JSON.stringify(replaceBigInts(e.args, (v) => String(v))),
    logIndex: e.log.logIndex,
    ...at(e),
  });
}

async function onCore(name: string, e: Ev, ctx: Ctx): Promise<void> {
  const a = e.args;
  const market = a.id as bigint;
  const kind = ACTIONS[name];
  if (kind) {
    await ctx.db.insert(schema.action).values({
      id: e.id,
      market,
      kind,
      caller: a.caller,
      account: a.onBehalf,
      assets: a.assets,
      shares: a.shares ?? 0n,
      collateralIndex: a.index === undefined ? null : Number(a.index),
      ...at(e),
    });
    await bumpMarket(ctx, market, (r) => ({ actions: r.actions + 1 }));
  } else if (name === "Liquidate") {
    await ctx.db.insert(schema.liquidation).values({
      id: e.id,
      market,
      liquidator: a.liquidator,
      borrower: a.borrower,
      collateralIndex: Number(a.index),
      repaidAssets: a.repaidAssets,
      repaidShares: a.repaidShares,
      seizedAssets: a.seizedAssets,
      protocolSeized: a.protocolSeized,
      ...at(e),
    });
    await bumpMarket(ctx, market, (r) => ({
      liquidations: r.liquidations + 1,
      repaidAssets: r.repaidAssets + a.repaidAssets,
      seizedAssets: r.seizedAssets + a.seizedAssets,
    }));
  } else if (name === "BadDebtRealized") {
    const split = { fromReserves: a.fromReserves, fromInsurance: a.fromInsurance, socialized: a.socialized };
    await ctx.db
      .insert(schema.badDebt)
      .values({ id: e.id, market, borrower: a.borrower, amount: a.amount, ...split, ...at(e) });
    await bumpMarket(ctx, market, (r) => ({
      badDebtEvents: r.badDebtEvents + 1,
      badDebt: r.badDebt + a.amount,
      fromReserves: r.fromReserves + a.fromReserves,
      fromInsurance: r.fromInsurance + a.fromInsurance,
      socialized: r.socialized + a.socialized,
    }));
  } else if (name === "ShortfallFlagged" || name === "ShortfallCleared") {
    const flagged = name === "ShortfallFlagged";
    await ctx.db.insert(schema.shortfall).values({
      id: e.id,
      market,
      borrower: a.borrower,
      kind: flagged ? "flagged" : "cleared",
      amount: flagged ? a.amount : 0n,
      ...at(e),
    });
    if (flagged) await bumpMarket(ctx, market, (r) => ({ flags: r.flags + 1 }));
  } else if (PARAMETER.has(name)) {
    await bumpMarket(ctx, market, (r) => ({ parameterChanges: r.parameterChanges + 1 }));
  }
}

async function onFund(name: string, e: Ev, ctx: Ctx): Promise<void> {
  const a = e.args;
  const fund = e.log.address;
  const row = { id: e.id, fund, kind: name, account: null, assets: 0n, shares: 0n, fromPremium: 0n, ...at(e) };
  if (name === "Deposit") {
    await ctx.db
      .insert(schema.insurance)
      .values({ ...row, kind: "stake", account: a.owner, assets: a.assets, shares: a.shares });
    await bumpFund(ctx, fund, (r) => ({ staked: r.staked + a.assets }));
  } else if (name === "Withdraw") {
    await ctx.db
      .insert(schema.insurance)
      .values({ ...row, kind: "unstake", account: a.owner, assets: a.assets, shares: a.shares });
    await bumpFund(ctx, fund, (r) => ({ unstaked: r.unstaked + a.assets }));
  } else if (name === "Drawn") {
    await ctx.db
      .insert(schema.insurance)
      .values({ ...row, kind: "draw", assets: a.amount, fromPremium: a.fromPremium });
    await bumpFund(ctx, fund, (r) => ({
      draws: r.draws + 1,
      drawn: r.drawn + a.amount,
      fromPremium: r.fromPremium + a.fromPremium,
    }));
  } else if (name.startsWith("Cooldown") && (a.staker !== undefined || a.account !== undefined)) {
    const shares = typeof a.shares === "bigint" ? a.shares : 0n;
    await ctx.db.insert(schema.insurance).values({ ...row, account: a.staker ?? a.account, shares });
  }
}

for (const name of eventNames(coreAbi)) {
  ponder.on(`BallastCore:${name}` as any, async ({ event, context }: any) => {
    await logEvent("BallastCore", name, event, context);
    await onCore(name, event, context);
  });
}
for (const name of eventNames(fundAbi)) {
  ponder.on(`InsuranceFund:${name}` as any, async ({ event, context }: any) => {
    await logEvent("InsuranceFund", name, event, context);
    await onFund(name, event, context);
  });
}
