/**
 * The replay keeper's profit check on Uniswap: before each flash liquidation it quotes the collateral's pool
 * (QuoterV2) for what the sale pays after impact and fee, counting the sales it already sent into the same block
 * (the quote of all of them minus the quote of the earlier ones), and skips the liquidation when that does not
 * cover the repayment plus gas at the stated gas price. Quotes are cached per block (the quote of the earlier
 * sales is the last plan's quote of all of them), so each plan costs one QuoterV2 call.
 */
import { ethers } from "hardhat";
import type { LiquidationPlan, MarketView } from "../../keeper/keeper";
import { profitCheck, quoteExactIn } from "../../keeper/quote-uniswap";
import type { Venue } from "../world/venue";

export interface QuoteVet {
  vet: (v: MarketView, plan: LiquidationPlan) => Promise<string | undefined>;
  /** Liquidations skipped because the pool would not pay. */
  skips: () => number;
}

/** `loanPerEth()`: loan base units per ETH now (for the gas cost). */
export function uniswapVet(venue: Venue, gasPriceGwei: number, loanPerEth: () => bigint): QuoteVet {
  let block = -1;
  const sold = new Map<number, bigint>();
  const quoted = new Map<string, Promise<bigint>>();
  let skips = 0;
  const quote = (index: number, amountIn: bigint) => {
    const key = `${index}:${amountIn}`;
    let q = quoted.get(key);
    if (!q) {
      const p = venue.pools[index]!;
      q = quoteExactIn(ethers.provider, venue.uni.quoter, {
        tokenIn: p.collateral,
        tokenOut: p.loan,
        fee: p.fee,
        amountIn,
      });
      quoted.set(key, q);
    }
    return q;
  };
  const vet = async (v: MarketView, plan: LiquidationPlan): Promise<string | undefined> => {
    if (v.blockNumber !== block) {
      block = v.blockNumber;
      sold.clear();
      quoted.clear();
    }
    const before = sold.get(plan.index) ?? 0n;
    const seized = plan.preview.seizedToReceiver;
    const [all, earlier] = await Promise.all([quote(plan.index, before + seized), quote(plan.index, before)]);
    const check = profitCheck(all - earlier, plan.preview.repaid, gasPriceGwei, loanPerEth());
    if (check.skip) {
      skips++;
      return check.skip;
    }
    sold.set(plan.index, before + seized);
    return undefined;
  };
  return { vet, skips: () => skips };
}
