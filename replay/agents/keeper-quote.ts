/**
 * The replay keeper's profit check on Uniswap: before each flash liquidation it quotes the collateral's pool
 * (QuoterV2) for what the sale pays after impact and fee, counting the sales it already sent into the same block
 * (the quote of all of them minus the quote of the earlier ones), and skips the liquidation when that does not
 * cover the repayment plus gas at the stated gas price.
 *
 * Cheaper, same decisions: quotes are cached per block (the quote of the earlier sales is the last plan's quote of
 * all of them), and a sale is first bounded from above by the pool's price after the earlier sales (a sale never
 * pays more than its amount x that price x (1 - fee): the price only falls as it sells). When even that bound,
 * plus a margin for rounding, does not cover the repayment and gas, the quote would say the same: the liquidation
 * is skipped without a QuoterV2 call. In a crash most liquidatable positions are skipped this way every block.
 */
import { Interface } from "ethers";
import type { LiquidationPlan, MarketView } from "../../keeper/keeper";
import { profitCheck } from "../../keeper/quote-uniswap";
import { uniswapArtifact } from "../../deploy/uniswap/contracts";
import { poolSqrt, type Venue, type VenuePool } from "../world/venue";
import { rpc } from "../util";

export interface QuoteVet {
  vet: (v: MarketView, plan: LiquidationPlan) => Promise<string | undefined>;
  /** Liquidations skipped because the pool would not pay. */
  skips: () => number;
}

/** What selling an amount pays, and the pool's sqrt price after it. */
interface Quote {
  out: bigint;
  sqrtAfter: bigint;
}

const Q192 = 2n ** 192n;
const PIPS = 1_000_000n;
let quoter: Interface | undefined;

/** QuoterV2.quoteExactInputSingle of `amountIn` collateral into the loan asset (amount 0: the pool's price now). */
async function quoteSale(venue: Venue, p: VenuePool, amountIn: bigint): Promise<Quote> {
  if (amountIn === 0n) return { out: 0n, sqrtAfter: await poolSqrt(p.pool) };
  quoter ??= new Interface(uniswapArtifact("quoter").abi);
  const data = quoter.encodeFunctionData("quoteExactInputSingle", [
    { tokenIn: p.collateral, tokenOut: p.loan, amountIn, fee: p.fee, sqrtPriceLimitX96: 0n },
  ]);
  const ret = (await rpc("eth_call", [{ to: venue.uni.quoter, data }, "latest"])) as string;
  const [out, sqrtAfter] = quoter.decodeFunctionResult("quoteExactInputSingle", ret) as unknown as [bigint, bigint];
  return { out, sqrtAfter };
}

/**
 * An upper bound of what selling `amountIn` collateral pays from sqrt price `sqrt`: amountIn x (1 - fee) x price,
 * rounded up, plus 1 ppm and 1,000 base units for the rounding of the two quotes the real check subtracts.
 */
export function saleBound(p: VenuePool, amountIn: bigint, sqrt: bigint): bigint {
  const afterFee = amountIn * (PIPS - BigInt(p.fee));
  const [num, den] = p.loanIsToken1 ? [afterFee * sqrt * sqrt, PIPS * Q192] : [afterFee * Q192, PIPS * sqrt * sqrt];
  const bound = (num + den - 1n) / den;
  return bound + bound / PIPS + 1000n;
}

/** `loanPerEth()`: loan base units per ETH now (for the gas cost). */
export function uniswapVet(venue: Venue, gasPriceGwei: number, loanPerEth: () => bigint): QuoteVet {
  let block = -1;
  const sold = new Map<number, bigint>();
  const quoted = new Map<string, Promise<Quote>>();
  let skips = 0;
  const quote = (index: number, amountIn: bigint) => {
    const key = `${index}:${amountIn}`;
    let q = quoted.get(key);
    if (!q) {
      q = quoteSale(venue, venue.pools[index]!, amountIn);
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
    const earlier = await quote(plan.index, before);
    const bound = saleBound(venue.pools[plan.index]!, seized, earlier.sqrtAfter);
    const atMost = profitCheck(bound, plan.preview.repaid, gasPriceGwei, loanPerEth());
    if (atMost.skip) {
      skips++;
      return `unprofitable on uniswap-v3: the pool pays at most ${bound} < repay ${atMost.repaid} + gas ${atMost.gas}`;
    }
    const all = await quote(plan.index, before + seized);
    const check = profitCheck(all.out - earlier.out, plan.preview.repaid, gasPriceGwei, loanPerEth());
    if (check.skip) {
      skips++;
      return check.skip;
    }
    sold.set(plan.index, before + seized);
    return undefined;
  };
  return { vet, skips: () => skips };
}
