/**
 * The keeper's profit check on a real venue: what selling seized collateral through a Uniswap v3 pool pays now
 * (QuoterV2, after price impact and the pool fee), against the repayment and the gas at a stated gas price.
 * The keeper skips a liquidation this check says does not pay, with the figures as its reason.
 */
import { Interface, type Provider } from "ethers";
import { uniswapArtifact } from "../deploy/uniswap/contracts";
import type { QuoteFn } from "./strategy";

let quoterIface: Interface | undefined;

export interface ExactInQuote {
  tokenIn: string;
  tokenOut: string;
  fee: number;
  amountIn: bigint;
}

/** QuoterV2.quoteExactInputSingle as an eth_call: the amount out of one exact-input swap at the latest state. */
export async function quoteExactIn(provider: Provider, quoter: string, q: ExactInQuote): Promise<bigint> {
  if (q.amountIn === 0n) return 0n;
  quoterIface ??= new Interface(uniswapArtifact("quoter").abi);
  const data = quoterIface.encodeFunctionData("quoteExactInputSingle", [
    { tokenIn: q.tokenIn, tokenOut: q.tokenOut, amountIn: q.amountIn, fee: q.fee, sqrtPriceLimitX96: 0n },
  ]);
  const ret = await provider.call({ to: quoter, data });
  return quoterIface.decodeFunctionResult("quoteExactInputSingle", ret)[0] as bigint;
}

export interface ProfitCheck {
  /** Loan assets the swap pays for the seized collateral. */
  proceeds: bigint;
  /** Loan assets the liquidation repays. */
  repaid: bigint;
  /** Gas of one flash liquidation in loan assets at the stated gas price. */
  gas: bigint;
  /** proceeds - repaid - gas (may be negative). */
  profit: bigint;
  /** Why it is skipped, or undefined when it pays. */
  skip?: string;
}

/** Gas units of a flash liquidation through Uniswap (one swap crossing few ticks), a stated estimate. */
export const FLASH_LIQUIDATION_GAS = 450_000n;

/**
 * Profit of a flash liquidation that repays `repaid` and sells `seized` collateral, with the gas cost at
 * `gasPriceGwei` converted into loan assets by `loanPerEth` (loan base units per ETH).
 */
export function profitCheck(proceeds: bigint, repaid: bigint, gasPriceGwei: number, loanPerEth: bigint): ProfitCheck {
  const gasWei = FLASH_LIQUIDATION_GAS * BigInt(Math.round(gasPriceGwei * 1e9));
  const gas = (gasWei * loanPerEth) / 10n ** 18n;
  const profit = proceeds - repaid - gas;
  const skip =
    profit >= 0n ? undefined : `unprofitable on uniswap-v3: pool pays ${proceeds} < repay ${repaid} + gas ${gas}`;
  return { proceeds, repaid, gas, profit, skip };
}

/**
 * A {@link QuoteFn} for the keeper's flash strategy (`KeeperOptions.quote`, `--quote` of the service): what the
 * pool of `tokenIn`/`tokenOut` at fee tier `feeOf(tokenIn, tokenOut)` pays now, from QuoterV2; null when no pool
 * is known for the pair or the quote reverts (the keeper then skips with "no quote for the sale").
 */
export function uniswapQuote(
  provider: Provider,
  quoter: string,
  feeOf: (tokenIn: string, tokenOut: string) => number | undefined,
): QuoteFn {
  return async ({ tokenIn, tokenOut, amountIn }) => {
    const fee = feeOf(tokenIn.toLowerCase(), tokenOut.toLowerCase());
    if (fee === undefined) return null;
    try {
      return await quoteExactIn(provider, quoter, { tokenIn, tokenOut, fee, amountIn });
    } catch {
      return null;
    }
  };
}
