/**
 * Reading a lens position safely: the lens never reverts on an invalid price, it reports `pricesValid: false` and
 * zeros (see docs/INTEGRATORS.md, "The lens under invalid prices"), so a 0 health factor there means "cannot be
 * priced", not "liquidatable". These helpers turn that into `undefined`.
 */
import { MAX_UINT256 } from "./math";

/** The fields of a lens PositionView these helpers read. */
export interface PricedPosition {
  debt: bigint;
  pricesValid: boolean;
  healthFactor: bigint;
}

/**
 * The health factor (WAD) of a lens position: MAX_UINT256 without debt (no price needed), `undefined` when a price the
 * core would read is invalid (the lens reports 0 then), else the lens's figure (rounded down).
 * @param p A position from `BallastLens.position` or `BallastClient.readPosition`.
 */
export function healthFactorOf(p: PricedPosition): bigint | undefined {
  if (p.debt === 0n) return MAX_UINT256;
  return p.pricesValid ? p.healthFactor : undefined;
}

/** Whether a liquidator may act on the position now: true, false, or `undefined` when it cannot be priced. */
export function isLiquidatable(p: PricedPosition): boolean | undefined {
  const hf = healthFactorOf(p);
  return hf === undefined ? undefined : hf < 10n ** 18n;
}
