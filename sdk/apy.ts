/**
 * Annual percentage yield beside the contracts' annual percentage rates. The core compounds borrow interest per
 * second (InterestLib: (1 + rate / year)^seconds, each product rounded up), so the borrow APY is that factor over
 * one year minus one. The lens's supply rate is a simple annual rate; suppliers are credited at every accrual, so
 * their yield compounds the same way. Both are WAD (1e18 = 100%).
 */
import { RAY, SECONDS_PER_YEAR, rpowUp } from "./math";

/** Compounded yield of a simple annual WAD rate over `periods` per year (default: per second, as the core). */
export function aprToApy(aprWad: bigint, periods: bigint = SECONDS_PER_YEAR): bigint {
  if (aprWad < 0n) throw new RangeError(`negative rate (${aprWad})`);
  if (periods <= 0n) throw new RangeError(`periods must be positive (${periods})`);
  // Per second, this is the core's own RAY rate and its rounded-up compounding.
  const perPeriodRay = (aprWad * 10n ** 9n) / periods;
  return (rpowUp(perPeriodRay, periods) - RAY) / 10n ** 9n;
}

/** A market's rates, simple and compounded (WAD). */
export interface MarketRates {
  borrowApr: bigint;
  borrowApy: bigint;
  supplyApr: bigint;
  supplyApy: bigint;
}

/** Borrow and supply APR (as the lens reports them) with their compounded APYs. */
export function marketRates(borrowApr: bigint, supplyApr: bigint): MarketRates {
  return { borrowApr, borrowApy: aprToApy(borrowApr), supplyApr, supplyApy: aprToApy(supplyApr) };
}
