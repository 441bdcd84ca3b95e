/**
 * Pure bigint mirrors of Ballast's on-chain math, with the same names and the same rounding at every step as the
 * Solidity libraries (MathLib, SharesMathLib, InterestLib, PositionLib, LiquidationLogic) and BallastCore's
 * `_accrue`. Every function here returns exactly, to the wei, what the contracts compute from the same inputs.
 *
 * Conventions: amounts are token base units; ratios and annual rates are WAD (1e18 = 100%); prices use the
 * adapters' scale, USD per base unit x 1e36, so a value in USD with 18 decimals is `amount * price / 1e18`.
 * All functions throw a `RangeError` where the EVM would revert on arithmetic (division by zero, underflow).
 */

export * from "./math/constants";
export * from "./math/types";
export * from "./math/mathlib";
export * from "./math/shares";
export * from "./math/interest";
export * from "./math/shortfall";
export * from "./math/position";
export * from "./math/liquidation";
export * from "./math/bad-debt";
export * from "./math/fund-rules";
