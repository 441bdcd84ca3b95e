/**
 * The bounds of what the waterfall socializes for the flagged positions (issue 13, findings 4 and 12; E3), checked
 * on the SDK's mirror of LiquidationLogic._realizeBadDebt and InsuranceFund (tested to the wei against the contracts
 * in sdk-math.test.ts): whatever the order of the realizations, the split of the pending shortfall, the unbacked
 * premium and any roll of the fund's window between them, what is socialized lies between
 * owed - most (the entry figure) and owed - least (the exit figure, E3).
 */
import { expect } from "chai";
import fc from "fast-check";
import {
  WAD,
  drawBounds,
  fundLimits,
  realizeBadDebt,
  uncoveredShortfall,
  zeroFloorSub,
  type FundState,
  type MarketState,
} from "../../sdk/math";

const U = 10n ** 6n;
const SHARES = 10n ** 6n; // debt shares per asset: toAssetsUp is exact

const scenario = fc.record({
  debts: fc.array(fc.bigInt({ min: 1n, max: 50_000n * U }), { minLength: 1, maxLength: 6 }),
  recoveries: fc.array(fc.bigInt({ min: 0n, max: 20_000n * U }), { minLength: 6, maxLength: 6 }),
  healthy: fc.bigInt({ min: 0n, max: 500_000n * U }),
  cash: fc.bigInt({ min: 0n, max: 200_000n * U }),
  reserves: fc.bigInt({ min: 0n, max: 20_000n * U }),
  premium: fc.bigInt({ min: 0n, max: 60_000n * U }),
  balance: fc.bigInt({ min: 0n, max: 200_000n * U }),
  drawnShare: fc.bigInt({ min: 0n, max: 8_000n }), // drawn in window, bps of the balance
  perEvent: fc.bigInt({ min: 0n, max: WAD / 2n }),
  windowShare: fc.bigInt({ min: 0n, max: (WAD * 8n) / 10n }),
  rolls: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  order: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
});

type S = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function setup(s: S) {
  const pending = s.debts.reduce((a, b) => a + b, 0n);
  const recovered = s.recoveries.slice(0, s.debts.length).reduce((a, b) => a + b, 0n);
  const tba = pending + recovered + s.healthy;
  // The books balance: supplied + reserves + premium owed = borrowed + cash.
  const tsa = zeroFloorSub(tba + s.cash, s.reserves + s.premium);
  const cash = tsa + s.reserves + s.premium - tba;
  const m: MarketState = {
    totalSupplyAssets: tsa,
    totalSupplyShares: tsa * SHARES,
    totalBorrowAssets: tba,
    totalBorrowShares: tba * SHARES,
    reserves: s.reserves,
    premiumOwed: s.premium,
    pendingShortfall: pending,
    lastUpdate: 0n,
    liquidationGraceUntil: 0n,
    flaggedPositions: BigInt(s.debts.length),
  };
  const fund: FundState = {
    balance: s.balance,
    drawnInWindow: (s.balance * s.drawnShare) / 10_000n,
    maxDrawPerEvent: s.perEvent,
    windowShare: s.windowShare,
  };
  return { m, fund, cash };
}

/** Liquidates every flagged position in a shuffled order: the recovery repays, the rest is realized. */
function realizeAll(s: S, m: MarketState, fund: FundState): bigint {
  const order = s.debts.map((_, i) => i).sort((a, b) => (s.order[a]! % 7) - (s.order[b]! % 7));
  let socialized = 0n;
  for (const i of order) {
    m.totalBorrowAssets -= s.recoveries[i]!; // the liquidator repays what the collateral recovers
    m.totalBorrowShares -= s.recoveries[i]! * SHARES;
    if (s.rolls[i]) fund.drawnInWindow = 0n; // the window may roll between realizations
    const split = realizeBadDebt(m, s.debts[i]! * SHARES, { fundMaxDraw: 0n, fund });
    expect(split.fromReserves + split.fromInsurance + split.socialized).to.equal(split.amount);
    const drawn = split.fromInsurance - split.writtenOff;
    fund.balance -= drawn - split.fromPremium;
    fund.drawnInWindow += drawn;
    socialized += split.socialized;
  }
  return socialized;
}

describe("Draw bounds: what is socialized lies between the entry and the exit figures", function () {
  it("owed - most <= socialized <= owed - least, in any order, with any window roll", function () {
    let strict = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        const { m, fund } = setup(s);
        const b = drawBounds(m, fundLimits(fund, m.premiumOwed), s.perEvent);
        const exit = uncoveredShortfall(m, b.least);
        const entry = uncoveredShortfall(m, b.most);
        expect(b.least).to.be.lte(b.most);
        const tsa0 = m.totalSupplyAssets;
        const socialized = realizeAll(s, m, { ...fund });
        expect(socialized, "E3: exit figure below what was socialized").to.be.lte(exit);
        expect(socialized, "entry figure above what was socialized").to.be.gte(entry);
        expect(socialized).to.be.lte(tsa0); // never reverts, never more than the supplied assets
        if (entry < exit) strict++;
      }),
      { numRuns: 3_000, seed: 20_261_130 },
    );
    expect(strict).to.be.greaterThan(100); // the bounds differ in many draws: the test is not vacuous
  });
});
