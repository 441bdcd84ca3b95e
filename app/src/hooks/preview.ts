/** previewAction (SDK) fed from the lens's views: what the position looks like after a proposed action. */
import { previewAction, type ActionPreview, type ProposedAction } from "../../../sdk/preview";
import type { AccruedMarket, MarketView, PositionView } from "../lens";

export function usePreview(
  market: MarketView | undefined,
  accrued: AccruedMarket | undefined,
  position: PositionView | undefined,
  action: ProposedAction | null,
): ActionPreview | null {
  if (!market || !accrued || !position || !action) return null;
  const pricesValid = market.loanOracle.valid && market.collaterals.every((c) => c.oracle.valid);
  if (!pricesValid) return null;
  return previewAction(
    {
      // viem decodes uints of at most 48 bits as numbers; the SDK's market takes bigints.
      market: {
        ...accrued,
        lastUpdate: BigInt(accrued.lastUpdate),
        liquidationGraceUntil: BigInt(accrued.liquidationGraceUntil),
        flaggedPositions: BigInt(accrued.flaggedPositions),
      },
      position: {
        supplyShares: position.supplyShares,
        borrowShares: position.borrowShares,
        collateral: position.collaterals.map((c) => c.amount),
      },
      risks: market.collaterals,
      prices: { loan: market.loanOracle.price, collaterals: market.collaterals.map((c) => c.oracle.price) },
      uncovered: market.uncoveredShortfall,
      minBorrow: market.minBorrow,
      minLeftover: market.minLeftover,
    },
    action,
  );
}
