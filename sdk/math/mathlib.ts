/** MathLib: fixed-point products and quotients with explicit rounding, and per-second compounding. */
import { MAX_GROWTH_FACTOR, RAY, WAD } from "./constants";
import { requireNonZero } from "./internal";

/** floor(x * y / d) (MathLib.mulDivDown). */
export function mulDivDown(x: bigint, y: bigint, d: bigint): bigint {
  requireNonZero(d);
  return (x * y) / d;
}

/** ceil(x * y / d) (MathLib.mulDivUp). */
export function mulDivUp(x: bigint, y: bigint, d: bigint): bigint {
  requireNonZero(d);
  return (x * y + (d - 1n)) / d;
}

/** floor(x * y / WAD). */
export function wMulDown(x: bigint, y: bigint): bigint {
  return (x * y) / WAD;
}

/** ceil(x * y / WAD). */
export function wMulUp(x: bigint, y: bigint): bigint {
  return (x * y + (WAD - 1n)) / WAD;
}

/** floor(x * WAD / y). */
export function wDivDown(x: bigint, y: bigint): bigint {
  requireNonZero(y);
  return (x * WAD) / y;
}

/** ceil(x * WAD / y). */
export function wDivUp(x: bigint, y: bigint): bigint {
  requireNonZero(y);
  return (x * WAD + (y - 1n)) / y;
}

/** max(x - y, 0). */
export function zeroFloorSub(x: bigint, y: bigint): bigint {
  return x > y ? x - y : 0n;
}

/** min(x, y). */
export function min(x: bigint, y: bigint): bigint {
  return x < y ? x : y;
}

/** max(x, y). */
export function max(x: bigint, y: bigint): bigint {
  return x > y ? x : y;
}

/** (1 + ratePerSecondRay)^n in RAY, never below the exact power: the three-term Taylor expansion (terms rounded up)
 * when y = n x <= 1 and n y^2 <= 4, else `rpowUp` (MathLib.compoundUp). */
export function compoundUp(ratePerSecondRay: bigint, n: bigint, maxFactor: bigint = MAX_GROWTH_FACTOR): bigint {
  const y = ratePerSecondRay * n;
  if (y <= RAY && n * y * y <= 4n * RAY * RAY) {
    const second = (y * y + (2n * RAY - 1n)) / (2n * RAY);
    const third = (second * y + (3n * RAY - 1n)) / (3n * RAY);
    return RAY + y + second + third;
  }
  return rpowUp(ratePerSecondRay, n, maxFactor);
}

/** (1 + ratePerSecondRay)^n in RAY, each product rounded up, saturating at `maxFactor` (MathLib.rpowUp). */
export function rpowUp(ratePerSecondRay: bigint, n: bigint, maxFactor: bigint = MAX_GROWTH_FACTOR): bigint {
  let x = RAY + ratePerSecondRay;
  let z = RAY;
  let k = n;
  while (k !== 0n) {
    if (x >= maxFactor) return maxFactor;
    if ((k & 1n) !== 0n) {
      z = (z * x + (RAY - 1n)) / RAY;
      if (z >= maxFactor) return maxFactor;
    }
    k >>= 1n;
    if (k !== 0n) x = (x * x + (RAY - 1n)) / RAY;
  }
  return z;
}
