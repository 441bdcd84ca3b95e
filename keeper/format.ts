/** The keeper's labels: a WAD as a short decimal, a bounded category of a skip reason. */
import { MAX_UINT256, WAD } from "../sdk/math";

/** A bounded category of a skip reason (for metrics labels). */
export function skipCode(reason: string): string {
  if (reason.includes("price invalid")) return "price-invalid";
  if (/Dust/.test(reason)) return "dust";
  if (reason === "no collateral") return "no-collateral";
  const name = /^([A-Za-z]+)\(/.exec(reason)?.[1];
  return name ?? "other";
}

/** A WAD as a short decimal string. */
export function fmtWad(x: bigint, digits = 4): string {
  if (x === MAX_UINT256) return "inf";
  const neg = x < 0n;
  const a = neg ? -x : x;
  const whole = a / WAD;
  const frac = ((a % WAD) * 10n ** BigInt(digits)) / WAD;
  return `${neg ? "-" : ""}${whole}.${frac.toString().padStart(digits, "0")}`;
}
