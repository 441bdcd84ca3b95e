/**
 * The indexer's tables. `event` holds every Ballast event (core and insurance funds) with its arguments as JSON;
 * the other tables are the typed views the app reads: position actions, liquidations, bad debt with its split,
 * shortfall flags, parameter changes, insurance stakes/cooldowns/draws, and running totals per market and fund.
 */
import { index, onchainTable } from "ponder";

export const event = onchainTable(
  "event",
  (t) => ({
    id: t.text().primaryKey(),
    contract: t.text().notNull(),
    address: t.hex().notNull(),
    name: t.text().notNull(),
    market: t.bigint(),
    args: t.text().notNull(),
    block: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
    tx: t.hex().notNull(),
  }),
  (x) => ({ byName: index().on(x.name), byMarket: index().on(x.market) }),
);

/** supply, withdraw, borrow, repay, supplyCollateral, withdrawCollateral. */
export const action = onchainTable(
  "action",
  (t) => ({
    id: t.text().primaryKey(),
    market: t.bigint().notNull(),
    kind: t.text().notNull(),
    caller: t.hex().notNull(),
    account: t.hex().notNull(),
    assets: t.bigint().notNull(),
    shares: t.bigint().notNull(),
    collateralIndex: t.integer(),
    block: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    tx: t.hex().notNull(),
  }),
  (x) => ({ byAccount: index().on(x.account), byMarket: index().on(x.market) }),
);

export const liquidation = onchainTable(
  "liquidation",
  (t) => ({
    id: t.text().primaryKey(),
    market: t.bigint().notNull(),
    liquidator: t.hex().notNull(),
    borrower: t.hex().notNull(),
    collateralIndex: t.integer().notNull(),
    repaidAssets: t.bigint().notNull(),
    repaidShares: t.bigint().notNull(),
    seizedAssets: t.bigint().notNull(),
    protocolSeized: t.bigint().notNull(),
    block: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    tx: t.hex().notNull(),
  }),
  (x) => ({ byBorrower: index().on(x.borrower), byMarket: index().on(x.market) }),
);

export const badDebt = onchainTable(
  "bad_debt",
  (t) => ({
    id: t.text().primaryKey(),
    market: t.bigint().notNull(),
    borrower: t.hex().notNull(),
    amount: t.bigint().notNull(),
    fromReserves: t.bigint().notNull(),
    fromInsurance: t.bigint().notNull(),
    socialized: t.bigint().notNull(),
    block: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    tx: t.hex().notNull(),
  }),
  (x) => ({ byMarket: index().on(x.market) }),
);

/** ShortfallFlagged (amount) and ShortfallCleared (amount 0). */
export const shortfall = onchainTable("shortfall", (t) => ({
  id: t.text().primaryKey(),
  market: t.bigint().notNull(),
  borrower: t.hex().notNull(),
  kind: t.text().notNull(),
  amount: t.bigint().notNull(),
  block: t.bigint().notNull(),
  timestamp: t.bigint().notNull(),
  tx: t.hex().notNull(),
}));

/** Deposit (stake), Withdraw (unstake), cooldown events and Drawn, per fund. */
export const insurance = onchainTable(
  "insurance",
  (t) => ({
    id: t.text().primaryKey(),
    fund: t.hex().notNull(),
    kind: t.text().notNull(),
    account: t.hex(),
    assets: t.bigint().notNull(),
    shares: t.bigint().notNull(),
    fromPremium: t.bigint().notNull(),
    block: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    tx: t.hex().notNull(),
  }),
  (x) => ({ byFund: index().on(x.fund), byAccount: index().on(x.account) }),
);

/** Running totals per market, kept by the handlers. */
export const marketTotals = onchainTable("market_totals", (t) => ({
  market: t.bigint().primaryKey(),
  actions: t.integer().notNull(),
  liquidations: t.integer().notNull(),
  repaidAssets: t.bigint().notNull(),
  seizedAssets: t.bigint().notNull(),
  badDebtEvents: t.integer().notNull(),
  badDebt: t.bigint().notNull(),
  fromReserves: t.bigint().notNull(),
  fromInsurance: t.bigint().notNull(),
  socialized: t.bigint().notNull(),
  flags: t.integer().notNull(),
  parameterChanges: t.integer().notNull(),
}));

/** Running totals per insurance fund. */
export const fundTotals = onchainTable("fund_totals", (t) => ({
  fund: t.hex().primaryKey(),
  staked: t.bigint().notNull(),
  unstaked: t.bigint().notNull(),
  draws: t.integer().notNull(),
  drawn: t.bigint().notNull(),
  fromPremium: t.bigint().notNull(),
}));
