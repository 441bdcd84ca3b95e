/**
 * The arbitrageur agent: every block, it moves each pool toward the episode's real price through real swaps on
 * the SwapRouter (an exact-input swap whose price limit is the target, so it stops there), with a stated capital
 * and latency (it targets the real price of `latency` price steps ago). It trades only when the pool is off by more
 * than `minDeviationBps` (the fee makes smaller moves unprofitable). Its capital is what it can put through the pool
 * in one block: `capitalUsd` of each token (at the initial price); after each block it rebalances to that with a
 * centralized exchange (an account holding a large inventory of every token: transfers, no token is created), as
 * CEX-DEX arbitrageurs do. A move larger than its capital takes several blocks.
 */
import { Interface, MaxUint256 } from "ethers";
import { network } from "hardhat";
import { uniswapArtifact } from "../../deploy/uniswap/contracts";
import { sqrtPriceX96 } from "../../deploy/uniswap/math";
import type { Signer } from "ethers";
import { poolPrice, poolSqrt, type Venue, type VenuePool } from "../world/venue";
import { firstUsd } from "../world/population";
import { unitsFor } from "../util";
import type { SimAsset } from "../types";

export interface ArbitrageurSpec {
  /** Inventory of each token per pool, in dollars at the initial price. */
  capitalUsd: number;
  /** Price steps between the real price and the arbitrageur acting on it (0: in the block of the price). */
  latency: number;
  /** No trade while the pool is within this many bps of the target. */
  minDeviationBps: number;
}

const ERC20 = new Interface([
  "function approve(address,uint256) returns (bool)",
  "function balanceOf(address) view returns (uint256)",
  "function transfer(address,uint256) returns (bool)",
]);

const rpc = (method: string, params: unknown[]) => network.provider.request({ method, params });
const hex = (x: bigint | number) => "0x" + x.toString(16);
/** Priority fee of the exchange's top-ups: before the arbitrageur's swaps in the same block. */
const CEX_TIP = 6n * 10n ** 9n;

async function balanceOf(token: string, who: string): Promise<bigint> {
  const data = ERC20.encodeFunctionData("balanceOf", [who]);
  return BigInt((await rpc("eth_call", [{ to: token, data }, "latest"])) as string);
}

export class Arbitrageur {
  private readonly router: Interface = new Interface(uniswapArtifact("router").abi);
  private readonly history: number[][] = [];
  /** Largest |pool - oracle| / oracle seen at the start of a block, in bps. */
  maxDeviationBps = 0;
  swaps = 0;
  /** A swap was sent since the last rebalance (balances only move through its own swaps). */
  private traded = true;

  /** `capital`: base units of each token the arbitrageur starts every block with. */
  constructor(
    readonly spec: ArbitrageurSpec,
    readonly venue: Venue,
    readonly address: string,
    readonly cex: string,
    readonly capital: Map<string, bigint>,
  ) {}

  /** Approves the router for every pool token (once, automine on, before the token snapshot). */
  async prepare(signer: Signer): Promise<void> {
    const tokens = new Set(this.venue.pools.flatMap((p) => [p.collateral, p.loan]));
    for (const t of tokens) {
      const data = ERC20.encodeFunctionData("approve", [this.venue.uni.router, MaxUint256]);
      await (await signer.sendTransaction({ to: t, data })).wait();
    }
  }

  /** Records this price step's real prices (loan units per collateral, one per pool). */
  observe(real: number[]): void {
    this.history.push(real);
  }

  /** Notes the pools' deviation from the oracle prices (loan units per collateral; NaN = none). */
  async measure(oracle: number[]): Promise<number[]> {
    const prices: number[] = [];
    for (let i = 0; i < this.venue.pools.length; i++) {
      const p = poolPrice(this.venue.pools[i]!, await poolSqrt(this.venue.pools[i]!.pool));
      prices.push(p);
      const o = oracle[i];
      if (o && Number.isFinite(o)) this.maxDeviationBps = Math.max(this.maxDeviationBps, (Math.abs(p - o) / o) * 1e4);
    }
    return prices;
  }

  /** Sends one swap per pool that is off its target (automine off: the caller mines). Returns tx hashes. */
  async act(tip: bigint): Promise<string[]> {
    const target = this.history[Math.max(0, this.history.length - 1 - this.spec.latency)];
    if (!target) return [];
    const hashes = this.traded ? await this.rebalance() : [];
    this.traded = false;
    for (let i = 0; i < this.venue.pools.length; i++) {
      const h = await this.steer(this.venue.pools[i]!, target[i]!, tip);
      if (h) hashes.push(h);
    }
    return hashes;
  }

  private async steer(p: VenuePool, target: number, tip: bigint): Promise<string | undefined> {
    if (!(target > 0)) return undefined;
    const current = poolPrice(p, await poolSqrt(p.pool));
    if ((Math.abs(current - target) / target) * 1e4 <= this.spec.minDeviationBps) return undefined;
    const sellCollateral = current > target;
    const [tokenIn, tokenOut] = sellCollateral ? [p.collateral, p.loan] : [p.loan, p.collateral];
    const amountIn = this.capital.get(tokenIn) ?? 0n;
    if (amountIn === 0n) return undefined;
    const loanPerColRaw = target * 10 ** (p.loanDecimals - p.colDecimals);
    const limit = sqrtPriceX96(p.loanIsToken1 ? loanPerColRaw : 1 / loanPerColRaw);
    const data = this.router.encodeFunctionData("exactInputSingle", [
      [tokenIn, tokenOut, p.fee, this.address, MaxUint256, amountIn, 0n, limit],
    ]);
    this.swaps++;
    this.traded = true;
    return send(this.address, this.venue.uni.router, data, tip, 1_500_000);
  }

  /** Brings each token's balance back to its capital through the exchange account. */
  private async rebalance(): Promise<string[]> {
    const hashes: string[] = [];
    for (const [token, want] of this.capital) {
      const have = await balanceOf(token, this.address);
      if (have === want) continue;
      const [from, to, amount] =
        have < want ? [this.cex, this.address, want - have] : [this.address, this.cex, have - want];
      const data = ERC20.encodeFunctionData("transfer", [to, amount]);
      hashes.push(await send(from, token, data, CEX_TIP, 100_000));
    }
    return hashes;
  }
}

async function send(from: string, to: string, data: string, tip: bigint, gas: number): Promise<string> {
  return (await rpc("eth_sendTransaction", [
    { from, to, data, gas: hex(gas), maxPriorityFeePerGas: hex(tip), maxFeePerGas: hex(1000n * 10n ** 9n + tip) },
  ])) as string;
}

/** The exchange the arbitrageur rebalances with holds this many times its capital of each token. */
const CEX_DEPTH = 10_000n;

/** The stated default: $20M of each token per pool, acting on the price of the same step, 30 bps band. */
export const DEFAULT_ARBITRAGEUR: ArbitrageurSpec = { capitalUsd: 20_000_000, latency: 0, minDeviationBps: 30 };

/** Mints the arbitrageur's capital and the exchange's inventory (before the replay's token snapshot). */
export async function fundArbitrageur(
  spec: ArbitrageurSpec,
  venue: Venue,
  loan: SimAsset,
  collaterals: SimAsset[],
  arb: Signer,
  cex: Signer,
): Promise<Map<string, bigint>> {
  const capital = new Map<string, bigint>();
  const loanAddr = await loan.token.getAddress();
  for (const c of collaterals) {
    capital.set(await c.token.getAddress(), unitsFor(spec.capitalUsd, firstUsd(c), c.spec.decimals));
    const loanUnits = unitsFor(spec.capitalUsd, firstUsd(loan), loan.spec.decimals);
    capital.set(loanAddr, (capital.get(loanAddr) ?? 0n) + loanUnits);
  }
  const [arbAddr, cexAddr] = [await arb.getAddress(), await cex.getAddress()];
  for (const a of [loan, ...collaterals]) {
    const units = capital.get(await a.token.getAddress())!;
    await (await a.token.mint(arbAddr, units)).wait();
    await (await a.token.mint(cexAddr, units * CEX_DEPTH)).wait();
  }
  await new Arbitrageur(spec, venue, arbAddr, cexAddr, capital).prepare(arb);
  return capital;
}
