/** Display formatting (numbers only: every figure itself comes from the lens or the SDK's math). */
import { formatUnits } from "viem";
import { MAX_UINT256, WAD } from "../../sdk/math";

const nf = (digits: number) => new Intl.NumberFormat("en-US", { maximumFractionDigits: digits });

/** A token amount: `decimals` base units, shown with up to `digits` decimals. */
export function fmtAmount(x: bigint | undefined, decimals: number, digits = 4): string {
  if (x === undefined) return "…";
  return nf(digits).format(Number(formatUnits(x, decimals)));
}

/** A USD value with 18 decimals. */
export function fmtUsd(x: bigint | undefined): string {
  if (x === undefined) return "…";
  return "$" + nf(2).format(Number(formatUnits(x, 18)));
}

/** A WAD ratio as a percentage. */
export function fmtPct(x: bigint | undefined, digits = 2): string {
  if (x === undefined) return "…";
  return nf(digits).format(Number(formatUnits(x * 100n, 18))) + "%";
}

/** A health factor (WAD): ∞ without debt. */
export function fmtHf(x: bigint | undefined): string {
  if (x === undefined) return "…";
  if (x === MAX_UINT256) return "∞";
  return nf(3).format(Number(formatUnits(x, 18)));
}

/** An adapter-scale price (USD per base unit x 1e36) as USD per whole token. */
export function fmtPrice(price: bigint | undefined, decimals: number): string {
  if (price === undefined) return "…";
  if (price === 0n) return "—";
  return "$" + nf(2).format(Number(formatUnits(price * 10n ** BigInt(decimals), 36)));
}

/** Seconds since the epoch as a UTC date and time. */
export function fmtDate(ts: bigint | number): string {
  return new Date(Number(ts) * 1000).toISOString().replace("T", " ").slice(0, 16) + " UTC";
}

/** Parses a user's decimal input into base units, or null. */
export function parseAmount(s: string, decimals: number): bigint | null {
  const t = s.trim();
  if (!/^\d*(\.\d*)?$/.test(t) || t === "" || t === ".") return null;
  const [i = "0", f = ""] = t.split(".");
  if (f.length > decimals) return null;
  return BigInt(i || "0") * 10n ** BigInt(decimals) + BigInt((f + "0".repeat(decimals)).slice(0, decimals) || "0");
}

export const healthClass = (hf: bigint | undefined) =>
  hf === undefined || hf === MAX_UINT256 ? "" : hf < WAD ? "bad" : hf < (WAD * 11n) / 10n ? "warn" : "good";
