/**
 * The lens's views as viem returns them, derived from the lens's ABI (TypeChain's `as const` copy, a type-only
 * import: nothing is bundled). A field the contract adds or renames reaches these types on the next compile.
 */
import type { ContractFunctionName, ContractFunctionReturnType } from "viem";
import type { BallastLens__factory } from "../../typechain-types/factories/contracts/periphery/BallastLens__factory";

export type LensAbi = typeof BallastLens__factory.abi;
type LensView<F extends ContractFunctionName<LensAbi, "view" | "pure">> = ContractFunctionReturnType<
  LensAbi,
  "view" | "pure",
  F
>;

export type MarketView = LensView<"market">;
export type PositionView = LensView<"position">;
export type SolvencyView = LensView<"solvency">;
/** The accrued market totals (`lens.accruedMarket`); they fit the SDK's MarketState. */
export type AccruedMarket = LensView<"accruedMarket">;
