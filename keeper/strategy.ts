/**
 * The keeper's two ways of paying for a liquidation, and its profit check.
 *
 * - flash: the FlashLiquidator (owned by the keeper account) repays the debt inside the core's callback by selling
 *   the seized collateral on a swapper; the keeper needs no loan assets. Its profit is what the sale returns minus
 *   the debt repaid, in loan units, so the check asks a {@link QuoteFn} what the sale returns.
 * - inventory: the keeper repays from its own loan-asset balance and receives the collateral.
 *
 * A quote function is pluggable: {@link oracleQuote} (the adapters' prices less a swap fee: the default, and what
 * the crash replay uses) or a venue's own quoter (e.g. Uniswap v3's QuoterV2, in its own module under keeper/).
 */
import type { Interface } from "ethers";
import { PRICE_SCALE, WAD, mulDivDown } from "../sdk/math";

export type KeeperMode = "flash" | "inventory";

/** A sale to price: `amountIn` of `tokenIn` for `tokenOut`. */
export interface QuoteRequest {
  tokenIn: string;
  tokenOut: string;
  amountIn: bigint;
}

/** What a sale would return now, in `tokenOut` base units; null when there is no route (the liquidation is skipped). */
export type QuoteFn = (q: QuoteRequest) => Promise<bigint | null>;

/**
 * The oracle's view of a sale: `amountIn` valued at the adapters' prices (USD per base unit x 1e36), less `fee` (WAD).
 * Rounds down (the keeper never overestimates its proceeds).
 */
export function oracleSale(amountIn: bigint, priceIn: bigint, priceOut: bigint, fee: bigint): bigint {
  const out = mulDivDown(amountIn, priceIn, priceOut);
  return out - (out * fee) / WAD;
}

/** A {@link QuoteFn} over fixed prices by token (lower-case address), less `fee`. */
export function oracleQuote(prices: (token: string) => bigint | null, fee: bigint): QuoteFn {
  return async ({ tokenIn, tokenOut, amountIn }) => {
    const pin = prices(tokenIn.toLowerCase());
    const pout = prices(tokenOut.toLowerCase());
    if (pin === null || pout === null || pout === 0n) return null;
    return oracleSale(amountIn, pin, pout, fee);
  };
}

/**
 * Profit of a flash liquidation in USD (WAD): (sale proceeds - debt repaid) at the loan price, less gas.
 * Negative when the sale does not cover the repayment. Rounds toward minus infinity.
 */
export function flashProfitUsd(proceeds: bigint, repaid: bigint, loanPrice: bigint, gasUsd: bigint): bigint {
  const net = proceeds - repaid;
  const usd = net >= 0n ? (net * loanPrice) / PRICE_SCALE : -((-net * loanPrice + PRICE_SCALE - 1n) / PRICE_SCALE);
  return usd - gasUsd;
}

/** One liquidation to send, in either mode. */
export interface LiquidationTarget {
  marketId: bigint;
  borrower: string;
  index: number;
  repayAssets: bigint;
}

/** Calldata of a flash liquidation through the FlashLiquidator (its `minProfit` in loan units). */
export function flashCalldata(liquidator: Interface, t: LiquidationTarget, swapper: string, minProfit = 0n): string {
  return liquidator.encodeFunctionData("liquidate", [
    t.marketId,
    t.borrower,
    t.index,
    t.repayAssets,
    swapper,
    minProfit,
  ]);
}

/** Calldata of an inventory liquidation on the core (collateral to `receiver`, no callback). */
export function inventoryCalldata(core: Interface, t: LiquidationTarget, receiver: string): string {
  return core.encodeFunctionData("liquidate", [t.marketId, t.borrower, t.index, t.repayAssets, receiver, "0x"]);
}
