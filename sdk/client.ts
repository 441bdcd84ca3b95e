/**
 * BallastClient: reads markets, positions and the solvency report through the lens, and builds or sends every
 * user operation of the core and the insurance fund (with the ERC-20 approvals they need), over any ethers v6
 * Provider or Signer. Every revert is rethrown as a decoded {@link BallastError}.
 */
import { Contract, MaxUint256, ZeroAddress, getAddress } from "ethers";
import type {
  ContractRunner,
  Provider,
  Signer,
  TransactionReceipt,
  TransactionRequest,
  TransactionResponse,
} from "ethers";
import { BallastCore__factory } from "../typechain-types/factories/contracts/core/BallastCore__factory";
import { InsuranceFund__factory } from "../typechain-types/factories/contracts/insurance/InsuranceFund__factory";
import { BallastLens__factory } from "../typechain-types/factories/contracts/periphery/BallastLens__factory";
import type { BallastCore } from "../typechain-types/contracts/core/BallastCore";
import type { BallastLens } from "../typechain-types/contracts/periphery/BallastLens";
import type { InsuranceFund } from "../typechain-types/contracts/insurance/InsuranceFund";
import { BallastError, decodeError, withDecodedErrors, withShareAssets } from "./errors";
import { MAX_UINT256, toAssetsUp } from "./math";
import type { BallastAddresses } from "./addresses";

/** A market as the lens returns it (accrued to the block of the call). */
export type MarketView = BallastLens.MarketViewStructOutput;
/** A position as the lens returns it. */
export type PositionView = BallastLens.PositionViewStructOutput;
/** The solvency report as the lens returns it. */
export type SolvencyView = BallastLens.SolvencyStructOutput;

/** A staker's cooldown in an insurance fund (see {@link BallastClient.cooldownOf}). */
export interface FundCooldown {
  /** Shares cooling down: only these may leave in the window (0: none). */
  shares: bigint;
  /** When the cooldown was started (0: none). */
  start: bigint;
  /** Start and end of the unstake window (0 if none). */
  opensAt: bigint;
  closesAt: bigint;
  /** Shares that may be redeemed now (`maxRedeem`). */
  redeemableNow: bigint;
  /** All the staker's shares, cooling or not. */
  balance: bigint;
}

/** One transaction to send, with what it does. */
export interface PreparedCall {
  /** Readable description, e.g. "approve USDC for the core" or "supply 1000000 to market 1". */
  description: string;
  /** Target contract. */
  to: string;
  /** Calldata. */
  data: string;
}

/** Options of the client. */
export interface BallastClientOptions {
  /** The BallastCore address. */
  core: string;
  /** The BallastLens address (needed by readMarket, readPosition and solvency). */
  lens?: string;
  /** Any ethers v6 Provider (read-only) or Signer (reads and sends). */
  runner: ContractRunner;
  /**
   * Margin added to approvals whose exact amount depends on interest accrued before the transaction is mined
   * (repay by shares, liquidations with the maximum repay), in basis points. Default 10 (0.1%).
   */
  approvalMarginBps?: bigint;
}

const ERC20_ABI = [
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function balanceOf(address) view returns (uint256)",
  "function symbol() view returns (string)",
];

function isSigner(r: ContractRunner): r is Signer {
  return typeof (r as Signer).getAddress === "function" && typeof (r as Signer).sendTransaction === "function";
}

/** Reads and operates Ballast markets. */
export class BallastClient {
  /** The core, connected to the runner. */
  public readonly core: BallastCore;
  /** The lens, if configured. */
  public readonly lens: BallastLens | undefined;
  /** The runner given at construction. */
  public readonly runner: ContractRunner;
  private readonly marginBps: bigint;

  /** @param opts Core and lens addresses and the ethers runner. */
  constructor(opts: BallastClientOptions) {
    this.runner = opts.runner;
    this.core = BallastCore__factory.connect(opts.core, opts.runner);
    this.lens = opts.lens ? BallastLens__factory.connect(opts.lens, opts.runner) : undefined;
    this.marginBps = opts.approvalMarginBps ?? 10n;
  }

  /**
   * A client for a deployment record (see {@link deploymentFor}): uses its "BallastCore" and "BallastLens".
   * @param addresses The deployment's contract addresses by name.
   * @param runner A Provider or Signer.
   */
  static fromAddresses(addresses: BallastAddresses, runner: ContractRunner): BallastClient {
    const core = addresses.contracts.BallastCore;
    if (!core) throw new Error(`deployment of chain ${addresses.chainId} has no BallastCore`);
    return new BallastClient({ core, lens: addresses.contracts.BallastLens, runner });
  }

  // ========================================================================================== reads

  private requireLens(): BallastLens {
    if (!this.lens) throw new Error("BallastClient: no lens address configured (pass `lens`)");
    return this.lens;
  }

  /**
   * A market accrued to now: totals, utilization, rates, caps, reserves, paused flags, each oracle's price.
   * @param id Market id.
   */
  async readMarket(id: bigint): Promise<MarketView> {
    const lens = this.requireLens();
    return withDecodedErrors(() => lens.market(id));
  }

  /**
   * A position: supply, debt, collateral values, health factor, borrow power left, liquidation prices.
   * @param id Market id.
   * @param user The account (default: the signer's address).
   */
  async readPosition(id: bigint, user?: string): Promise<PositionView> {
    const lens = this.requireLens();
    const account = user ?? (await this.signerAddress());
    return withDecodedErrors(() => lens.position(id, account));
  }

  /**
   * The solvency report of a market (totals, cash, reserves, insurance, losses, coverage, pending shortfall).
   * @param id Market id.
   */
  async solvency(id: bigint): Promise<SolvencyView> {
    const lens = this.requireLens();
    return withDecodedErrors(() => lens.solvency(id));
  }

  /**
   * The insurance fund of a market, connected to the runner.
   * @param id Market id.
   */
  async fund(id: bigint): Promise<InsuranceFund> {
    const c = await withDecodedErrors(() => this.core.config(id));
    if (c.insuranceFund === ZeroAddress) throw new Error(`market ${id} has no insurance fund`);
    return InsuranceFund__factory.connect(c.insuranceFund, this.runner);
  }

  /**
   * A staker's cooldown in the market's insurance fund: how many shares are cooling, when they may leave, and how
   * many may leave now (`maxRedeem`). Shares received after `cooldown` never join it.
   * @param id Market id.
   * @param staker The staker (default: the signer's address).
   */
  async cooldownOf(id: bigint, staker?: string): Promise<FundCooldown> {
    const fund = await this.fund(id);
    const who = staker ?? (await this.signerAddress());
    const [snapshot, window, redeemable, balance] = await withDecodedErrors(() =>
      Promise.all([fund.cooldowns(who), fund.unstakeWindowOf(who), fund.maxRedeem(who), fund.balanceOf(who)]),
    );
    return {
      shares: snapshot.shares,
      start: snapshot.start,
      opensAt: window.opensAt,
      closesAt: window.closesAt,
      redeemableNow: redeemable,
      balance,
    };
  }

  // ========================================================================================== builders

  /**
   * Builds `supply` of `assets` loan assets for `onBehalf` (default: the signer), with the approval if needed.
   * @param id Market id.
   * @param assets Loan assets.
   * @param onBehalf Credited account.
   */
  async buildSupply(id: bigint, assets: bigint, onBehalf?: string): Promise<PreparedCall[]> {
    const who = onBehalf ?? (await this.signerAddress());
    const c = await this.core.config(id);
    return [
      ...(await this.approval(c.loanToken, await this.core.getAddress(), assets)),
      this.call(`supply ${assets} to market ${id}`, "supply", [id, assets, 0n, who]),
    ];
  }

  /**
   * Builds `withdraw` of `assets` (or, with `assets` 0, of `shares`) to `receiver` (default: the signer).
   * @param id Market id.
   * @param amount `{ assets }` or `{ shares }` (e.g. every share of the position).
   * @param receiver Receiver of the loan assets.
   * @param onBehalf Owner of the supply (default: the signer).
   */
  async buildWithdraw(
    id: bigint,
    amount: { assets: bigint } | { shares: bigint },
    receiver?: string,
    onBehalf?: string,
  ): Promise<PreparedCall[]> {
    const me = await this.signerAddress();
    const [assets, shares] = "assets" in amount ? [amount.assets, 0n] : [0n, amount.shares];
    return [this.call(`withdraw from market ${id}`, "withdraw", [id, assets, shares, onBehalf ?? me, receiver ?? me])];
  }

  /**
   * Builds `borrow` of `assets` against `onBehalf`'s collateral (default: the signer) to `receiver`.
   * @param id Market id.
   * @param assets Loan assets.
   * @param receiver Receiver (default: the signer).
   * @param onBehalf Borrower (default: the signer).
   */
  async buildBorrow(id: bigint, assets: bigint, receiver?: string, onBehalf?: string): Promise<PreparedCall[]> {
    const me = await this.signerAddress();
    return [
      this.call(`borrow ${assets} from market ${id}`, "borrow", [id, assets, 0n, onBehalf ?? me, receiver ?? me]),
    ];
  }

  /**
   * Builds `repay` by assets, by shares, or `{ all: true }` (every debt share of the position), with the
   * approval (by shares, the debt plus the approval margin for interest until the block).
   * @param id Market id.
   * @param amount `{ assets }`, `{ shares }` or `{ all: true }`.
   * @param onBehalf The position (default: the signer).
   */
  async buildRepay(
    id: bigint,
    amount: { assets: bigint } | { shares: bigint } | { all: true },
    onBehalf?: string,
  ): Promise<PreparedCall[]> {
    const who = onBehalf ?? (await this.signerAddress());
    const c = await this.core.config(id);
    let assets = 0n;
    let shares = 0n;
    let approve: bigint;
    if ("assets" in amount) {
      assets = amount.assets;
      approve = assets;
    } else {
      shares = "shares" in amount ? amount.shares : (await this.core.position(id, who)).borrowShares;
      const m = await this.core.market(id);
      approve = this.withMargin(toAssetsUp(shares, m.totalBorrowAssets, m.totalBorrowShares));
    }
    return [
      ...(await this.approval(c.loanToken, await this.core.getAddress(), approve)),
      this.call(`repay market ${id} for ${who}`, "repay", [id, assets, shares, who]),
    ];
  }

  /**
   * Builds `supplyCollateral` of collateral `index`, with the approval.
   * @param id Market id.
   * @param index Collateral index.
   * @param assets Collateral amount.
   * @param onBehalf Credited account (default: the signer).
   */
  async buildSupplyCollateral(id: bigint, index: number, assets: bigint, onBehalf?: string): Promise<PreparedCall[]> {
    const who = onBehalf ?? (await this.signerAddress());
    const col = await this.core.collateral(id, index);
    return [
      ...(await this.approval(col.token, await this.core.getAddress(), assets)),
      this.call(`supply collateral ${index} (${assets}) to market ${id}`, "supplyCollateral", [id, index, assets, who]),
    ];
  }

  /**
   * Builds `withdrawCollateral`.
   * @param id Market id.
   * @param index Collateral index.
   * @param assets Collateral amount.
   * @param receiver Receiver (default: the signer).
   * @param onBehalf Owner (default: the signer).
   */
  async buildWithdrawCollateral(
    id: bigint,
    index: number,
    assets: bigint,
    receiver?: string,
    onBehalf?: string,
  ): Promise<PreparedCall[]> {
    const me = await this.signerAddress();
    return [
      this.call(`withdraw collateral ${index} (${assets}) from market ${id}`, "withdrawCollateral", [
        id,
        index,
        assets,
        onBehalf ?? me,
        receiver ?? me,
      ]),
    ];
  }

  /**
   * Builds `liquidate`, with the loan-asset approval: `repayAssets`, or for MAX_UINT256 the position's debt now
   * plus the approval margin.
   * @param id Market id.
   * @param borrower The position.
   * @param index Collateral to seize.
   * @param repayAssets Upper bound to repay (MAX_UINT256: as much as allowed).
   * @param receiver Receiver of the collateral (default: the signer).
   * @param data Callback data ("0x": no callback).
   */
  async buildLiquidate(
    id: bigint,
    borrower: string,
    index: number,
    repayAssets: bigint,
    receiver?: string,
    data = "0x",
  ): Promise<PreparedCall[]> {
    const me = await this.signerAddress();
    const c = await this.core.config(id);
    let approve = repayAssets;
    if (repayAssets === MAX_UINT256 || repayAssets === MaxUint256) {
      const [, borrowShares] = await this.core.position(id, borrower);
      const m = await this.core.market(id);
      approve = this.withMargin(toAssetsUp(borrowShares, m.totalBorrowAssets, m.totalBorrowShares));
    }
    return [
      ...(await this.approval(c.loanToken, await this.core.getAddress(), approve)),
      this.call(`liquidate ${borrower} in market ${id} (collateral ${index})`, "liquidate", [
        id,
        borrower,
        index,
        repayAssets,
        receiver ?? me,
        data,
      ]),
    ];
  }

  /**
   * Builds `flagShortfall` (permissionless).
   * @param id Market id.
   * @param borrower The short position.
   */
  async buildFlagShortfall(id: bigint, borrower: string): Promise<PreparedCall[]> {
    return [this.call(`flag the shortfall of ${borrower} in market ${id}`, "flagShortfall", [id, borrower])];
  }

  /**
   * Builds a stake: `deposit` of loan assets into the market's insurance fund, with the approval.
   * @param id Market id.
   * @param assets Loan assets.
   * @param receiver Receiver of the fund shares (default: the signer).
   */
  async buildStake(id: bigint, assets: bigint, receiver?: string): Promise<PreparedCall[]> {
    const me = await this.signerAddress();
    const fund = await this.fund(id);
    const fundAddr = await fund.getAddress();
    return [
      ...(await this.approval(await fund.asset(), fundAddr, assets)),
      {
        description: `stake ${assets} in the insurance fund of market ${id}`,
        to: fundAddr,
        data: fund.interface.encodeFunctionData("deposit", [assets, receiver ?? me]),
      },
    ];
  }

  /**
   * Builds `cooldown(shares)` on the market's insurance fund: those shares (default: the signer's whole balance) may
   * leave in the unstake window after the cooldown; shares received later need their own cooldown.
   * @param id Market id.
   * @param shares Fund shares to cool (default: the signer's balance).
   */
  async buildCooldown(id: bigint, shares?: bigint): Promise<PreparedCall[]> {
    const fund = await this.fund(id);
    const amount = shares ?? (await fund.balanceOf(await this.signerAddress()));
    return [
      {
        description: `start the unstake cooldown of ${amount} shares in the insurance fund of market ${id}`,
        to: await fund.getAddress(),
        data: fund.interface.encodeFunctionData("cooldown", [amount]),
      },
    ];
  }

  /**
   * Builds an unstake: `redeem` of fund shares during the unstake window (default: every share that may leave
   * now; outside the window, the cooled amount or the balance, so the fund's revert says why).
   * @param id Market id.
   * @param shares Fund shares (default: as above).
   * @param receiver Receiver of the assets (default: the signer).
   */
  async buildUnstake(id: bigint, shares?: bigint, receiver?: string): Promise<PreparedCall[]> {
    const me = await this.signerAddress();
    const fund = await this.fund(id);
    const amount = shares ?? (await this.defaultUnstake(fund, me));
    return [
      {
        description: `unstake ${amount} shares from the insurance fund of market ${id}`,
        to: await fund.getAddress(),
        data: fund.interface.encodeFunctionData("redeem", [amount, receiver ?? me, me]),
      },
    ];
  }

  // ========================================================================================== senders

  /**
   * Sends prepared calls in order and waits for each; a revert is rethrown as a decoded BallastError.
   * @param calls The calls (from a `build*` method).
   * @returns The receipts, in order.
   */
  async send(calls: PreparedCall[]): Promise<TransactionReceipt[]> {
    const signer = this.requireSigner();
    const receipts: TransactionReceipt[] = [];
    for (const c of calls) {
      const tx: TransactionRequest = { to: c.to, data: c.data };
      const sent: TransactionResponse = await withDecodedErrors(() => signer.sendTransaction(tx));
      const receipt = await withDecodedErrors(() => sent.wait());
      if (!receipt) throw new Error(`no receipt for ${c.description}`);
      receipts.push(receipt);
    }
    return receipts;
  }

  /** Supplies loan assets (approval included). See {@link buildSupply}. */
  async supply(id: bigint, assets: bigint, onBehalf?: string): Promise<TransactionReceipt[]> {
    return this.send(await this.buildSupply(id, assets, onBehalf));
  }

  /** Withdraws loan assets. See {@link buildWithdraw}. */
  async withdraw(
    id: bigint,
    amount: { assets: bigint } | { shares: bigint },
    receiver?: string,
    onBehalf?: string,
  ): Promise<TransactionReceipt[]> {
    return this.withAssetsHint(id, "supply", async () =>
      this.send(await this.buildWithdraw(id, amount, receiver, onBehalf)),
    );
  }

  /** Borrows. See {@link buildBorrow}. */
  async borrow(id: bigint, assets: bigint, receiver?: string, onBehalf?: string): Promise<TransactionReceipt[]> {
    return this.send(await this.buildBorrow(id, assets, receiver, onBehalf));
  }

  /** Repays (approval included). See {@link buildRepay}. */
  async repay(
    id: bigint,
    amount: { assets: bigint } | { shares: bigint } | { all: true },
    onBehalf?: string,
  ): Promise<TransactionReceipt[]> {
    return this.withAssetsHint(id, "debt", async () => this.send(await this.buildRepay(id, amount, onBehalf)));
  }

  /** Supplies collateral (approval included). See {@link buildSupplyCollateral}. */
  async supplyCollateral(id: bigint, index: number, assets: bigint, onBehalf?: string): Promise<TransactionReceipt[]> {
    return this.send(await this.buildSupplyCollateral(id, index, assets, onBehalf));
  }

  /** Withdraws collateral. See {@link buildWithdrawCollateral}. */
  async withdrawCollateral(
    id: bigint,
    index: number,
    assets: bigint,
    receiver?: string,
    onBehalf?: string,
  ): Promise<TransactionReceipt[]> {
    return this.send(await this.buildWithdrawCollateral(id, index, assets, receiver, onBehalf));
  }

  /** Liquidates (approval included). See {@link buildLiquidate}. */
  async liquidate(
    id: bigint,
    borrower: string,
    index: number,
    repayAssets: bigint,
    receiver?: string,
    data = "0x",
  ): Promise<TransactionReceipt[]> {
    return this.send(await this.buildLiquidate(id, borrower, index, repayAssets, receiver, data));
  }

  /** Flags a short position. See {@link buildFlagShortfall}. */
  async flagShortfall(id: bigint, borrower: string): Promise<TransactionReceipt[]> {
    return this.send(await this.buildFlagShortfall(id, borrower));
  }

  /** Stakes in the market's insurance fund (approval included). See {@link buildStake}. */
  async stake(id: bigint, assets: bigint, receiver?: string): Promise<TransactionReceipt[]> {
    return this.send(await this.buildStake(id, assets, receiver));
  }

  /** Starts the fund cooldown of `shares` (default: all). See {@link buildCooldown}. */
  async cooldown(id: bigint, shares?: bigint): Promise<TransactionReceipt[]> {
    return this.send(await this.buildCooldown(id, shares));
  }

  /** Unstakes from the fund. See {@link buildUnstake}. */
  async unstake(id: bigint, shares?: bigint, receiver?: string): Promise<TransactionReceipt[]> {
    return this.send(await this.buildUnstake(id, shares, receiver));
  }

  /**
   * Simulates prepared calls' last entry with eth_call (after the approvals would have been sent, so only
   * meaningful when no approval is needed) and returns the decoded revert, or undefined if it succeeds.
   * @param call The call to simulate.
   */
  async simulate(call: PreparedCall): Promise<ReturnType<typeof decodeError>> {
    const from = await this.signerAddress();
    const provider = this.provider();
    try {
      await provider.call({ to: call.to, data: call.data, from });
      return undefined;
    } catch (e) {
      return decodeError(e);
    }
  }

  // ========================================================================================== internals

  private call(description: string, method: string, args: unknown[]): PreparedCall {
    return {
      description,
      to: this.core.target as string,
      data: this.core.interface.encodeFunctionData(method as "supply", args as never),
    };
  }

  /** Runs `fn`; an InsufficientBalance (in shares) is rethrown with the assets those shares are worth. */
  private async withAssetsHint<T>(id: bigint, side: "supply" | "debt", fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof BallastError) || e.errorName !== "InsufficientBalance") throw e;
      const m = await this.core.market(id);
      throw side === "supply"
        ? withShareAssets(e, m.totalSupplyAssets, m.totalSupplyShares, side)
        : withShareAssets(e, m.totalBorrowAssets, m.totalBorrowShares, side);
    }
  }

  private async defaultUnstake(fund: InsuranceFund, me: string): Promise<bigint> {
    const now = await fund.maxRedeem(me);
    if (now !== 0n) return now;
    const cooled = (await fund.cooldowns(me)).shares;
    return cooled !== 0n ? cooled : fund.balanceOf(me);
  }

  private withMargin(x: bigint): bigint {
    return x + (x * this.marginBps) / 10_000n + 1n;
  }

  private async approval(token: string, spender: string, amount: bigint): Promise<PreparedCall[]> {
    const owner = await this.signerAddress();
    const erc20 = new Contract(token, ERC20_ABI, this.runner);
    const allowance = (await erc20.getFunction("allowance")(owner, spender)) as bigint;
    if (allowance >= amount) return [];
    return [
      {
        description: `approve ${amount} of ${getAddress(token)} for ${getAddress(spender)}`,
        to: token,
        data: erc20.interface.encodeFunctionData("approve", [spender, amount]),
      },
    ];
  }

  private requireSigner(): Signer {
    if (!isSigner(this.runner)) throw new Error("BallastClient: a Signer is needed to send transactions");
    return this.runner;
  }

  private async signerAddress(): Promise<string> {
    return this.requireSigner().getAddress();
  }

  private provider(): Provider {
    const p = this.runner.provider;
    if (!p) throw new Error("BallastClient: the runner has no provider");
    return p;
  }
}
