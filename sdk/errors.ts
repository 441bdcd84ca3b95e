/**
 * Decodes any revert of the Ballast protocol (core and its linked libraries, price adapters, insurance funds, the
 * lens, OpenZeppelin's errors, `Error(string)` and `Panic(uint256)`) into `{ name, args, message }` with a readable
 * message, as a typed error class. Works on raw revert data ("0x...") and on the errors ethers v6, Hardhat or a
 * JSON-RPC node throw (the revert data is found wherever it is nested).
 */
import { Interface, ErrorFragment, Result, formatUnits, decodeBytes32String, isHexString } from "ethers";
import { BallastCore__factory } from "../typechain-types/factories/contracts/core/BallastCore__factory";
import { LiquidationLogic__factory } from "../typechain-types/factories/contracts/libraries/LiquidationLogic__factory";
import { ConfigLogic__factory } from "../typechain-types/factories/contracts/libraries/ConfigLogic__factory";
import { ChainlinkPriceAdapter__factory } from "../typechain-types/factories/contracts/oracles/ChainlinkPriceAdapter__factory";
import { InsuranceFund__factory } from "../typechain-types/factories/contracts/insurance/InsuranceFund__factory";
import { BallastLens__factory } from "../typechain-types/factories/contracts/periphery/BallastLens__factory";
import { PAUSE, toAssetsDown, toAssetsUp } from "./math";

/** Where an error comes from: the core, a price adapter, an insurance fund, OpenZeppelin, the EVM, or unknown. */
export type ErrorSource = "core" | "oracle" | "insurance" | "openzeppelin" | "evm" | "unknown";

/** A decoded revert: its custom error name, its arguments (by position and by name) and a readable message. */
export class BallastError extends Error {
  /** The custom error's name (e.g. "BorrowAboveLtv"), or "Error" / "Panic" / "Unknown". */
  public readonly errorName: string;
  /** Arguments by position (bigint, string, boolean...). */
  public readonly args: readonly unknown[];
  /** Arguments by parameter name. */
  public readonly namedArgs: Readonly<Record<string, unknown>>;
  /** The 4-byte selector ("0x..."), or "" when there was no data. */
  public readonly selector: string;
  /** The raw revert data. */
  public readonly data: string;
  /** Which part of the protocol the error belongs to. */
  public readonly source: ErrorSource;
  /** The error's signature, e.g. "BorrowAboveLtv(uint256,address,uint256,uint256)". */
  public readonly signature: string;

  /** @param d The decoded fields. */
  constructor(d: {
    name: string;
    args: readonly unknown[];
    namedArgs: Record<string, unknown>;
    selector: string;
    data: string;
    source: ErrorSource;
    signature: string;
    message: string;
  }) {
    super(d.message);
    this.errorName = d.name;
    this.args = d.args;
    this.namedArgs = d.namedArgs;
    this.selector = d.selector;
    this.data = d.data;
    this.source = d.source;
    this.signature = d.signature;
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = new.target.name;
  }

  /** The plain `{ name, args, message }` view of the error. */
  toJSON(): { name: string; args: readonly unknown[]; message: string } {
    return { name: this.errorName, args: this.args, message: this.message };
  }
}

/** A BallastCore (or linked library) custom error. */
export class CoreError extends BallastError {}
/** A price adapter error (also bubbled by the core on borrow, withdrawCollateral, liquidate, flagShortfall). */
export class OracleError extends BallastError {}
/** An insurance fund error (cooldown, window, caps). */
export class InsuranceFundError extends BallastError {}
/** An OpenZeppelin error (access control, reentrancy, SafeERC20, ERC-20/4626, ownable...). */
export class OpenZeppelinError extends BallastError {}
/** `Panic(uint256)`: arithmetic overflow, division by zero, array out of bounds... */
export class PanicError extends BallastError {}
/** `Error(string)`: a revert with a reason string (e.g. from a token). */
export class RevertStringError extends BallastError {}
/** Revert data no known ABI decodes, or a revert without data. */
export class UnknownRevertError extends BallastError {}

const CLASS_OF: Record<ErrorSource, new (d: ConstructorParameters<typeof BallastError>[0]) => BallastError> = {
  core: CoreError,
  oracle: OracleError,
  insurance: InsuranceFundError,
  openzeppelin: OpenZeppelinError,
  evm: PanicError,
  unknown: UnknownRevertError,
};

// ------------------------------------------------------------------------------------------- the error catalogue

const ORACLE_ERRORS = new Set([
  "FeedReverted",
  "NonPositivePrice",
  "StalePrice",
  "FuturePrice",
  "PriceOutOfBounds",
  "SequencerDown",
  "GracePeriodNotOver",
  "FallbackDeviationTooHigh",
  "InvalidConfig",
  "NoFallbackReference",
]);

const INSURANCE_ERRORS = new Set([
  "OnlyCore",
  "CooldownNotStarted",
  "CooldownNotElapsed",
  "UnstakeWindowExpired",
  "NothingToStake",
  "CooldownSharesExceeded",
  "DepositDuringShortfall",
  "FundRetired",
]);

const OZ_PREFIXES = ["AccessControl", "ReentrancyGuard", "SafeERC20", "SafeCast", "ERC20", "ERC4626", "Ownable"];
const OZ_ERRORS = new Set(["AddressEmptyCode", "FailedCall", "InvalidShortString", "StringTooLong"]);

function sourceOf(name: string): ErrorSource {
  if (ORACLE_ERRORS.has(name)) return "oracle";
  if (INSURANCE_ERRORS.has(name)) return "insurance";
  if (OZ_ERRORS.has(name) || OZ_PREFIXES.some((p) => name.startsWith(p))) return "openzeppelin";
  return "core";
}

/** Every error ABI of the protocol, deduplicated by selector. */
function buildInterface(): Interface {
  const abis = [
    BallastCore__factory.abi,
    LiquidationLogic__factory.abi,
    ConfigLogic__factory.abi,
    ChainlinkPriceAdapter__factory.abi,
    InsuranceFund__factory.abi,
    BallastLens__factory.abi,
  ];
  const seen = new Set<string>();
  const fragments: ErrorFragment[] = [];
  for (const abi of abis) {
    for (const f of new Interface(abi as unknown as string).fragments) {
      if (!(f instanceof ErrorFragment) || seen.has(f.selector)) continue;
      seen.add(f.selector);
      fragments.push(f);
    }
  }
  return new Interface(fragments);
}

let iface: Interface | undefined;

/** The combined ethers Interface of every protocol error (core, libraries, adapter, fund, lens, OpenZeppelin). */
export function errorsInterface(): Interface {
  iface ??= buildInterface();
  return iface;
}

const PAUSE_NAMES: Record<number, string> = {
  [PAUSE.SUPPLY]: "supply",
  [PAUSE.WITHDRAW]: "withdraw",
  [PAUSE.BORROW]: "borrow",
  [PAUSE.REPAY]: "repay",
  [PAUSE.COLLATERAL_IN]: "supply collateral",
  [PAUSE.COLLATERAL_OUT]: "withdraw collateral",
  [PAUSE.LIQUIDATE]: "liquidate",
};

const PANIC_REASONS: Record<number, string> = {
  0x01: "assertion failed",
  0x11: "arithmetic overflow or underflow",
  0x12: "division or modulo by zero",
  0x21: "invalid enum value",
  0x22: "invalid storage byte array",
  0x31: "pop on an empty array",
  0x32: "array index out of bounds",
  0x41: "out of memory",
  0x51: "call to an invalid internal function",
};

const usd = (v: unknown): string => `$${formatUnits(v as bigint, 18)}`;
const time = (v: unknown): string => {
  const t = Number(v as bigint);
  return Number.isFinite(t) && t > 0 ? `${new Date(t * 1000).toISOString()} (${t})` : String(v);
};
const bytes32 = (v: unknown): string => {
  try {
    return decodeBytes32String(v as string);
  } catch {
    return String(v);
  }
};

type A = Result;
/** Readable messages by error name; arguments by name. Unlisted errors get "Name(arg=value, ...)". */
const MESSAGES: Record<string, (a: A) => string> = {
  MarketNotCreated: (a) => `market ${a.id} does not exist`,
  InvalidCollateralIndex: (a) => `market ${a.id} has no collateral at index ${a.index}`,
  ZeroAddress: () => "an address argument is zero",
  ZeroAmount: () => "the amount is zero",
  InconsistentInput: () => "pass exactly one of assets or shares (the other must be 0)",
  ZeroShares: (a) => `${a.assets} assets round down to zero shares: supply or repay a larger amount`,
  Unauthorized: (a) => `${a.caller} is not authorized to act for ${a.owner} (see setAuthorization)`,
  ActionPaused: (a) => `${PAUSE_NAMES[Number(a.action)] ?? `action ${a.action}`} is paused in market ${a.id}`,
  RepayCannotBePaused: () => "repay can never be paused",
  LiquidationWithoutCure: (a) =>
    `market ${a.id}: collateral deposits can be paused only together with liquidation (flags ${a.paused})`,
  SupplyCapExceeded: (a) => `market ${a.id} supply cap exceeded: total would be ${a.totalAfter}, cap ${a.cap}`,
  BorrowCapExceeded: (a) => `market ${a.id} borrow cap exceeded: total would be ${a.totalAfter}, cap ${a.cap}`,
  CollateralCapExceeded: (a) =>
    `market ${a.id} collateral ${a.index} cap exceeded: total would be ${a.totalAfter}, cap ${a.cap}`,
  InsufficientLiquidity: (a) => `market ${a.id} has ${a.available} available, ${a.requested} requested`,
  InsufficientBalance: (a) =>
    `balance ${a.available} is less than the ${a.requested} requested (shares for withdraw and repay; ` +
    `BallastClient adds the assets they are worth)`,
  BorrowAboveLtv: (a) =>
    `position ${a.borrower} in market ${a.id} would owe ${usd(a.debtValue)} but may owe at most ${usd(a.maxDebtValue)} (LTV)`,
  DebtBelowMinimum: (a) => `market ${a.id}: debt ${a.debt} would be below the minimum ${a.minimum}`,
  HealthyPosition: (a) => `position ${a.borrower} in market ${a.id} is healthy (health factor >= 1): not liquidatable`,
  NoDebt: (a) => `position ${a.borrower} in market ${a.id} has no debt`,
  LiquidationGracePeriod: (a) => `liquidations in market ${a.id} are in their grace period until ${time(a.until)}`,
  DebtDustLeft: (a) =>
    `the liquidation would leave ${a.debtLeft} of debt, below the minimum ${a.minimum}: repay all or seize the whole collateral`,
  CollateralDustLeft: (a) =>
    `the liquidation would leave collateral worth ${a.collateralLeftValue} loan units, below the minimum ${a.minimum}: seize it all`,
  FeeOnTransferNotSupported: (a) =>
    `token ${a.token} delivered ${a.received} instead of ${a.expected}: fee-on-transfer tokens are not supported`,
  ExactTransfersUnauthorized: (a) =>
    a.exact
      ? `${a.account} may not attest exact transfers: only the admin (the timelock) may`
      : `${a.account} may not turn the fee-on-transfer check back on: it needs the guardian or the admin`,
  ParameterOutOfBounds: (a) => `parameter ${bytes32(a.parameter)} = ${a.value} is out of bounds`,
  TooManyCollaterals: (a) => `${a.count} collaterals: a market has 1 to 8`,
  DuplicateCollateral: (a) => `token ${a.token} is already used in this market`,
  InsuranceFundMismatch: (a) => `insurance fund ${a.fund} does not insure this core and market`,
  InsuranceFundOwed: (a) =>
    `market ${a.id} owes its insurance fund ${a.premiumOwed} of premium and has ${a.pendingShortfall} of pending shortfall: claim the premium and settle the shortfall before replacing the fund`,
  ReserveFloorBreached: (a) => `reserves would be ${a.reservesAfter}, below the floor ${a.floor}`,
  NotShort: (a) =>
    `position ${a.borrower} in market ${a.id} is not short: debt ${a.debt}, a full liquidation recovers ${a.recoverable}`,
  NotFlagged: (a) => `position ${a.borrower} in market ${a.id} has no flagged shortfall`,
  StillShort: (a) => `position ${a.borrower} in market ${a.id} is still short by ${a.estimate}`,
  SignatureExpired: (a) => `the signature expired at ${time(a.deadline)}`,
  InvalidNonce: (a) => `invalid nonce ${a.given}, expected ${a.expected}`,
  InvalidSignature: () => "the signature does not match the authorizer",
  PriceScaleMismatch: (a) => `adapter price ${a.price} for token ${a.token} does not match the token's scale`,
  AdminOnlyChange: (a) =>
    `changing ${bytes32(a.parameter)} this way can liquidate existing positions: it needs the admin (the timelock)`,
  // oracle
  FeedReverted: (a) => `price feed ${a.feed} reverted (retired or broken feed)`,
  NonPositivePrice: (a) => `price feed ${a.feed} answered ${a.answer} (not positive)`,
  StalePrice: (a) => `price feed ${a.feed} is stale: last update ${time(a.updatedAt)}, max age ${a.maxAge}s`,
  FuturePrice: (a) => `price feed ${a.feed} is dated in the future (${time(a.updatedAt)})`,
  PriceOutOfBounds: (a) =>
    `price feed ${a.feed} answered ${a.answer}, outside the bounds [${a.minAnswer}, ${a.maxAnswer}]`,
  SequencerDown: () => "the L2 sequencer is down",
  GracePeriodNotOver: (a) =>
    `the L2 sequencer is up since ${time(a.upSince)}; its ${a.gracePeriod}s grace period is not over`,
  FallbackDeviationTooHigh: (a) =>
    `the fallback feed answered ${a.fallbackAnswer}, too far from the primary's reference ${a.primaryReference}`,
  InvalidConfig: (a) => `invalid adapter configuration: ${bytes32(a.what)}`,
  NoFallbackReference: () =>
    "the fallback feed cannot be used: no valid primary answer recent enough (MAX_REFERENCE_AGE) to compare it with",
  // insurance fund
  OnlyCore: () => "only the core may draw on or retire the insurance fund",
  CooldownNotStarted: (a) => `${a.staker} has no shares in cooldown (call cooldown(shares) first)`,
  CooldownNotElapsed: (a) => `${a.staker}'s cooldown ends at ${time(a.unlocksAt)}`,
  UnstakeWindowExpired: (a) => `${a.staker}'s unstake window closed at ${time(a.expiredAt)}: start a new cooldown`,
  NothingToStake: () => "a cooldown of 0 shares: name how many shares to cool",
  CooldownSharesExceeded: (a) =>
    `${a.staker} has ${a.available} shares available, ${a.requested} asked (only cooled shares leave; shares received after a cooldown need their own)`,
  DepositDuringShortfall: (a) =>
    `the market has ${a.pendingAfterReserves} of pending shortfall above its reserves: fund deposits wait until it is realized or cleared`,
  FundRetired: () => "this insurance fund was replaced: it takes no deposits (stakers may leave at once)",
  // OpenZeppelin
  AccessControlUnauthorizedAccount: (a) => `${a.account} lacks role ${a.neededRole}`,
  ReentrancyGuardReentrantCall: () => "reentrant call rejected",
  SafeERC20FailedOperation: (a) => `token ${a.token} transfer failed`,
  ERC20InsufficientBalance: (a) => `${a.sender} has a balance of ${a.balance}, ${a.needed} needed`,
  ERC20InsufficientAllowance: (a) => `${a.spender} is allowed ${a.allowance}, ${a.needed} needed (approve first)`,
  ERC4626ExceededMaxWithdraw: (a) => `${a.owner} may withdraw at most ${a.max}, ${a.assets} asked`,
  ERC4626ExceededMaxRedeem: (a) => `${a.owner} may redeem at most ${a.max} shares, ${a.shares} asked`,
  ERC4626ExceededMaxDeposit: (a) => `${a.receiver} may deposit at most ${a.max}, ${a.assets} asked`,
  ERC4626ExceededMaxMint: (a) => `${a.receiver} may mint at most ${a.max} shares, ${a.shares} asked`,
  OwnableUnauthorizedAccount: (a) => `${a.account} is not the owner`,
  SafeCastOverflowedUintDowncast: (a) => `${a.value} does not fit in ${a.bits} bits`,
};

function argsToRecord(f: ErrorFragment, r: Result): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  f.inputs.forEach((p, i) => {
    out[p.name || String(i)] = r[i];
  });
  return out;
}

function defaultMessage(f: ErrorFragment, named: Record<string, unknown>): string {
  const parts = Object.entries(named).map(([k, v]) => `${k}=${String(v)}`);
  return `${f.name}(${parts.join(", ")})`;
}

// ------------------------------------------------------------------------------------------- decoding

const ERROR_STRING = "0x08c379a0";
const PANIC = "0x4e487b71";

/**
 * Decodes raw revert data into a typed {@link BallastError}. Never throws: unknown data gives an
 * {@link UnknownRevertError} named "Unknown".
 * @param data Revert data, "0x" + selector + ABI-encoded arguments.
 */
export function decodeRevertData(data: string): BallastError {
  const selector = data.length >= 10 ? data.slice(0, 10).toLowerCase() : "";
  const base = { selector, data };
  if (selector === ERROR_STRING) {
    try {
      const [reason] = errorsInterface()
        .getAbiCoder()
        .decode(["string"], "0x" + data.slice(10));
      return new RevertStringError({
        ...base,
        name: "Error",
        args: [reason],
        namedArgs: { reason },
        source: "unknown",
        signature: "Error(string)",
        message: `reverted: ${String(reason)}`,
      });
    } catch {
      // fall through to unknown
    }
  }
  if (selector === PANIC) {
    try {
      const [code] = errorsInterface()
        .getAbiCoder()
        .decode(["uint256"], "0x" + data.slice(10));
      const c = Number(code as bigint);
      return new PanicError({
        ...base,
        name: "Panic",
        args: [code],
        namedArgs: { code },
        source: "evm",
        signature: "Panic(uint256)",
        message: `panic 0x${c.toString(16)}: ${PANIC_REASONS[c] ?? "unknown panic"}`,
      });
    } catch {
      // fall through
    }
  }
  if (selector !== "") {
    const f = errorsInterface().getError(selector);
    if (f) {
      try {
        const r = errorsInterface().decodeErrorResult(f, data);
        const namedArgs = argsToRecord(f, r);
        const source = sourceOf(f.name);
        const msgFn = MESSAGES[f.name];
        const message = `${f.name}: ${msgFn ? msgFn(r) : defaultMessage(f, namedArgs)}`;
        const Cls = CLASS_OF[source];
        return new Cls({
          ...base,
          name: f.name,
          args: Array.from(r),
          namedArgs,
          source,
          signature: f.format("sighash"),
          message,
        });
      } catch {
        // malformed arguments: unknown
      }
    }
  }
  return new UnknownRevertError({
    ...base,
    name: "Unknown",
    args: [],
    namedArgs: {},
    source: "unknown",
    signature: "",
    message: data === "0x" || data === "" ? "reverted without data" : `unknown revert data ${data}`,
  });
}

/**
 * Finds the revert data inside whatever ethers, Hardhat or a JSON-RPC provider threw (`data`, `error.data`,
 * `info.error.data`, `revert`, nested `cause`...). Returns undefined if there is none.
 * @param err The thrown value.
 */
export function findRevertData(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (x: unknown, depth: number): string | undefined => {
    if (x === null || x === undefined || depth > 6 || seen.has(x)) return undefined;
    if (typeof x === "string") return isHexString(x) && (x.length === 2 || x.length >= 10) ? x : undefined;
    if (typeof x !== "object") return undefined;
    seen.add(x);
    const o = x as Record<string, unknown>;
    for (const key of ["data", "error", "info", "cause", "originalError", "receipt", "value"]) {
      if (!(key in o)) continue;
      const found = visit(o[key], depth + 1);
      if (found !== undefined && found !== "0x") return found;
    }
    if (typeof o.data === "string" && o.data === "0x") return "0x";
    return undefined;
  };
  return visit(err, 0);
}

/**
 * Decodes a thrown error (or raw revert data) into a typed {@link BallastError}; returns undefined when the thrown
 * value carries no revert data at all (a network error, a user rejection...).
 * @param err A thrown value or revert data.
 */
export function decodeError(err: unknown): BallastError | undefined {
  if (err instanceof BallastError) return err;
  const data = typeof err === "string" && isHexString(err) ? err : findRevertData(err);
  if (data === undefined) return undefined;
  return decodeRevertData(data);
}

/**
 * Runs `fn` and rethrows any revert as a decoded {@link BallastError} (other errors pass through unchanged).
 * @param fn The call or transaction to run.
 */
export async function withDecodedErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const decoded = decodeError(e);
    if (decoded) throw decoded;
    throw e;
  }
}

/**
 * An InsufficientBalance of supply or debt shares, restated with the assets the shares are worth (the core reports
 * shares only). Other errors are returned unchanged.
 * @param err A decoded error.
 * @param totalAssets The market's supply (or borrow) assets, accrued.
 * @param totalShares The market's supply (or borrow) shares.
 * @param side "supply" (withdraw: assets rounded down) or "debt" (repay: assets rounded up).
 */
export function withShareAssets(
  err: BallastError,
  totalAssets: bigint,
  totalShares: bigint,
  side: "supply" | "debt",
): BallastError {
  if (err.errorName !== "InsufficientBalance") return err;
  const [available, requested] = err.args as [bigint, bigint];
  const toAssets = side === "supply" ? toAssetsDown : toAssetsUp;
  const a = (shares: bigint) => `${shares} shares (${toAssets(shares, totalAssets, totalShares)} assets)`;
  const what = side === "supply" ? "supply balance" : "debt";
  return new CoreError({
    name: err.errorName,
    args: err.args,
    namedArgs: { ...err.namedArgs },
    selector: err.selector,
    data: err.data,
    source: err.source,
    signature: err.signature,
    message: `InsufficientBalance: ${what} ${a(available)} is less than the ${a(requested)} requested`,
  });
}
