/** SharesMathLib: assets to shares and back, with virtual shares and assets. */
import { VIRTUAL_ASSETS, VIRTUAL_SHARES } from "./constants";
import { mulDivDown, mulDivUp } from "./mathlib";

/** Shares for `assets`, rounded down (supply mints, repay burns). */
export function toSharesDown(assets: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return mulDivDown(assets, totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS);
}

/** Shares for `assets`, rounded up (withdraw burns, borrow mints). */
export function toSharesUp(assets: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return mulDivUp(assets, totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS);
}

/** Assets for `shares`, rounded down (withdraw pays, borrow by shares pays). */
export function toAssetsDown(shares: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return mulDivDown(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
}

/** Assets for `shares`, rounded up (debt owed, supply and repay by shares). */
export function toAssetsUp(shares: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return mulDivUp(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
}
