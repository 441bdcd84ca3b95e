/**
 * The invariants the stateful fuzzing suite checks after every step (issue 7 items 1-14, issue 9 items S1-S2), by
 * id. Failure messages name the id. "model" (M) is the exact agreement of every observed figure with the reference
 * model (test/invariant/model.ts, built on sdk/math.ts): the revert or success of each call and every state figure.
 */
export const INVARIANTS = {
  M: "Contracts agree with the reference model: success / custom error of every call, and every market, position, collateral, loss, configuration, token balance and insurance-fund figure, exactly",
  I1: "Supply shares of all accounts sum to totalSupplyShares; debt shares to totalBorrowShares; each collateral's balances to its totalSupplied",
  I2: "Core token balance covers what it owes: loan cash == totalSupply + reserves + premiumOwed - totalBorrow exactly; collateral balance == totalSupplied + protocolBalance",
  I3: "Total debt never exceeds what was supplied: totalBorrowAssets <= totalSupplyAssets + reserves + premiumOwed always (accrual credits the reserve and premium cuts of interest beside the suppliers' part), and <= totalSupplyAssets after every borrow and withdrawal",
  I4: "A liquidation succeeds only on a position unhealthy at valid prices; a borrow or collateral withdrawal never leaves a position above its LTV",
  I5: "After every transaction no position has debt and no collateral",
  I6: "The supply share price (net of the uncovered shortfall) never falls, except by a socialized loss (BadDebtRealized.socialized, exactly) or by an increase of the uncovered shortfall",
  I7: "The insurance fund is drawn only after reserves are exhausted, never beyond maxDraw (per-event and rolling caps), and its share price falls only by draws or by a larger expected draw",
  I8: "Round trips never pay: supply then withdraw, borrow then repay (same transaction) return at most what went in",
  I9: "Debt does not fall with time: accrual never lowers totalBorrowAssets or any position's debt; lastUpdate <= block time",
  I10: "Repay, supply and supply collateral never fail on an oracle error; borrow, collateral withdrawal (with debt) and liquidation revert on an invalid price",
  I11: "Caps hold after every action that raises a total; a paused action reverts ActionPaused and an unpaused one never does",
  I12: "Only the right role changes a parameter (others revert AccessControlUnauthorizedAccount and change nothing); parameters stay inside the hard bounds",
  I13: "A liquidation seizes at most repaid x loanPrice / colPrice x (1 + bonus); one that realizes no bad debt does not lower the supply share price",
  I14: "No token is created or destroyed: for each token, the balances of all holders sum to its totalSupply, which is constant",
  S1: "pendingShortfall equals the sum of the flagged positions' figures (issue 9)",
  S2: "The supply share price falls only by a socialized loss or a flagged uncovered shortfall (issue 9; checked with I6)",
} as const;

export type InvariantId = keyof typeof INVARIANTS;

export class InvariantViolation extends Error {
  constructor(
    public readonly id: InvariantId,
    detail: string,
  ) {
    super(`${id} violated: ${INVARIANTS[id]}\n  ${detail}`);
  }
}

// INVARIANT_ONLY=I4,I9 checks only the listed invariants (used to show that each one alone catches a broken contract).
const ONLY = process.env.INVARIANT_ONLY ? new Set(process.env.INVARIANT_ONLY.split(",")) : null;

export function check(cond: boolean, id: InvariantId, detail: () => string): void {
  if (ONLY && !ONLY.has(id)) return;
  if (!cond) throw new InvariantViolation(id, detail());
}
