/**
 * Validation of a deploy config, before anything is sent. Two passes:
 * - `validateConfig`: pure checks that mirror the contracts' hard bounds (contracts/libraries/ConstantsLib.sol and
 *   ConfigLogic.checkCollateralRisk / checkRateModel / checkFactors, ChainlinkPriceAdapter's constructor), so a bad
 *   parameter is caught here with its name instead of as a revert halfway through a deployment;
 * - `validateConfigOnChain`: what must be read on chain: the chain id, each existing token's decimals, each
 *   existing feed's decimals, description and latest round (positive, not in the future, and no older than the
 *   feed's heartbeat plus its margin), the answer within the adapter bounds, and that the deployer is not one of the
 *   governance holders (the deployer must end with no role at all).
 * Each pass reports every problem at once in a ConfigValidationError.
 */
import { Contract, getAddress, isAddress, ZeroAddress, type Provider } from "ethers";
import type { AssetConfig, NetworkDeployConfig } from "./types";
import { GOVERNANCE_ENV } from "./env";

export const WAD = 10n ** 18n;
export const MAX_UINT128 = (1n << 128n) - 1n;

/** Mirrors contracts/libraries/ConstantsLib.sol (and the adapter's constructor limits). */
export const BOUNDS = {
  MAX_COLLATERALS: 8,
  MAX_LIQUIDATION_THRESHOLD: 95n * 10n ** 16n,
  MAX_LIQUIDATION_BONUS: 2n * 10n ** 17n,
  MAX_RESERVE_FACTOR: 5n * 10n ** 17n,
  MAX_INSURANCE_PREMIUM_FACTOR: 5n * 10n ** 17n,
  /** ConstantsLib.CUT_UNIT: factors and liquidation thresholds carry at most 9 decimals (a multiple of 1e9 wei). */
  CUT_UNIT: 10n ** 9n,
  MAX_BASE_RATE: WAD,
  MAX_SLOPE: 10n * WAD,
  MIN_TARGET_UTILIZATION: 10n ** 16n,
  MAX_TARGET_UTILIZATION: 99n * 10n ** 16n,
  MAX_DECIMALS: 18,
  MAX_FEED_AGE: 7 * 86_400,
  /** Public networks: a timelock shorter than this is no timelock. */
  MIN_PUBLIC_TIMELOCK_DELAY: 3_600,
} as const;

export class ConfigValidationError extends Error {
  constructor(
    readonly network: string,
    readonly problems: string[],
  ) {
    super(`Invalid Ballast deploy config for "${network}" (nothing was sent):\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigValidationError";
  }
}

/** Parses a decimal string into a fixed-point bigint; undefined when malformed or too precise. */
export function parseDecimal(value: string, decimals: number): bigint | undefined {
  if (!/^\d+(\.\d+)?$/.test(value)) return undefined;
  const [whole = "0", frac = ""] = value.split(".");
  if (frac.length > decimals) return undefined;
  return BigInt(whole + frac.padEnd(decimals, "0"));
}

/** A whole-token amount ("1000000", "0.5" or "max") in base units. */
export function parseAmount(value: string, decimals: number): bigint | undefined {
  return value === "max" ? MAX_UINT128 : parseDecimal(value, decimals);
}

const wMulUp = (x: bigint, y: bigint): bigint => (x * y + WAD - 1n) / WAD;

/** Adapter max age of an asset: the feed's heartbeat plus the asset's margin. */
export const maxAgeOf = (a: AssetConfig): number => a.feed.heartbeat + a.maxAgeMargin;

const UNISWAP_FEES = new Set([100, 500, 3000, 10000]);

/** The Uniswap section: checksummed addresses, pools between listed assets at a standard fee tier, depths > 0. */
function checkUniswap(config: NetworkDeployConfig, assets: Map<string, AssetConfig>, bad: (m: string) => void): void {
  const u = config.uniswap;
  if (!u) return;
  if (u.kind === "existing") {
    for (const key of ["factory", "quoterV2", "positionManager", "swapRouter"] as const) {
      const a = u[key];
      if (a !== undefined && (!isAddress(a) || getAddress(a) !== a))
        bad(`uniswap.${key}: ${a} is not a checksummed address`);
    }
  } else if (config.chainId === 1) bad("uniswap: mainnet must use the existing Uniswap deployment, not deploy one");
  for (const p of u.pools) {
    const w = `uniswap pool ${p.collateral}/${p.loan}`;
    if (!assets.has(p.collateral) || !assets.has(p.loan)) bad(`${w}: both assets must be listed in assets`);
    if (!UNISWAP_FEES.has(p.fee)) bad(`${w}: fee ${p.fee} is not a Uniswap v3 fee tier (100, 500, 3000, 10000)`);
    if (p.depthUsd2Pct !== undefined && !(p.depthUsd2Pct > 0)) bad(`${w}: depthUsd2Pct must be positive`);
  }
}

/** Pure checks; throws ConfigValidationError listing every problem. */
export function validateConfig(config: NetworkDeployConfig): void {
  const problems: string[] = [];
  const bad = (msg: string): void => {
    problems.push(msg);
  };
  const ratio = (where: string, value: string): bigint | undefined => {
    const r = parseDecimal(value, 18);
    if (r === undefined) bad(`${where} "${value}" is not a decimal ratio such as "0.85"`);
    return r;
  };
  const pct = (r: bigint): string => `${Number((r * 10_000n) / WAD) / 100}%`;

  // ---------------------------------------------------------------- assets
  const assets = new Map<string, AssetConfig>();
  for (const a of config.assets) {
    const w = `asset ${a.symbol}`;
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(a.symbol)) bad(`${w}: symbol must be letters and digits only`);
    if (assets.has(a.symbol)) bad(`${w}: listed twice`);
    assets.set(a.symbol, a);
    if (a.token.kind === "existing" && !isAddress(a.token.address)) {
      bad(`${w}: token address ${a.token.address} is not an address`);
    }
    if (a.feed.kind === "existing" && !isAddress(a.feed.address)) {
      bad(`${w}: feed address ${a.feed.address} is not an address`);
    }
    if (!Number.isInteger(a.token.decimals) || a.token.decimals < 0 || a.token.decimals > BOUNDS.MAX_DECIMALS) {
      bad(`${w}: token decimals ${a.token.decimals} must be an integer from 0 to 18`);
    }
    if (!Number.isInteger(a.feed.decimals) || a.feed.decimals < 0 || a.feed.decimals > BOUNDS.MAX_DECIMALS) {
      bad(`${w}: feed decimals ${a.feed.decimals} must be an integer from 0 to 18`);
    }
    if (!(a.feed.heartbeat > 0)) bad(`${w}: feed heartbeat ${a.feed.heartbeat} must be positive`);
    if (!(a.maxAgeMargin >= 0)) bad(`${w}: maxAgeMargin ${a.maxAgeMargin} must not be negative`);
    if (maxAgeOf(a) > BOUNDS.MAX_FEED_AGE) {
      bad(`${w}: max age ${maxAgeOf(a)} s (heartbeat + margin) exceeds the adapter's limit of 7 days`);
    }
    const min = parseDecimal(a.minPrice, 18);
    const max = parseDecimal(a.maxPrice, 18);
    if (min === undefined || min === 0n) bad(`${w}: minPrice "${a.minPrice}" must be a positive USD price`);
    if (max === undefined) bad(`${w}: maxPrice "${a.maxPrice}" must be a USD price`);
    if (min !== undefined && max !== undefined && max <= min) {
      bad(`${w}: maxPrice ${a.maxPrice} must be above minPrice ${a.minPrice}`);
    }
    if (max !== undefined && max > MAX_UINT128) bad(`${w}: maxPrice ${a.maxPrice} does not fit uint128`);
    if (a.feed.kind === "mock") {
      const p = parseDecimal(a.feed.price, a.feed.decimals);
      const p18 = parseDecimal(a.feed.price, 18);
      if (p === undefined || p18 === undefined || p === 0n) {
        bad(
          `${w}: mock feed price "${a.feed.price}" must be a positive USD price with at most ${a.feed.decimals} decimals`,
        );
      } else if (min !== undefined && max !== undefined && (p18 < min || p18 > max)) {
        bad(`${w}: mock feed price ${a.feed.price} lies outside the bounds [${a.minPrice}, ${a.maxPrice}]`);
      }
    }
    if (config.chainId === 1 && a.token.kind === "mock") {
      bad(`${w}: mainnet cannot use a mock token`);
    }
    if (!config.local && a.feed.kind === "mock") bad(`${w}: a public network needs a real Chainlink feed, not a mock`);
  }

  // ---------------------------------------------------------------- markets
  if (config.markets.length === 0) bad("no markets configured");
  config.markets.forEach((mk, i) => {
    const w = `market #${i + 1} (${mk.loan})`;
    const loan = assets.get(mk.loan);
    if (!loan) bad(`${w}: loan asset ${mk.loan} is not in assets`);
    const n = mk.collaterals.length;
    if (n === 0 || n > BOUNDS.MAX_COLLATERALS) bad(`${w}: needs 1 to 8 collaterals, has ${n}`);
    const seen = new Set<string>();
    for (const c of mk.collaterals) {
      const cw = `${w} collateral ${c.asset}`;
      const col = assets.get(c.asset);
      if (!col) bad(`${cw}: asset ${c.asset} is not in assets`);
      if (c.asset === mk.loan) bad(`${cw}: the loan asset cannot be its own collateral`);
      if (seen.has(c.asset)) bad(`${cw}: listed twice`);
      seen.add(c.asset);
      const ltv = ratio(`${cw}: ltv`, c.ltv);
      const lt = ratio(`${cw}: liquidationThreshold`, c.liquidationThreshold);
      const bonus = ratio(`${cw}: liquidationBonus`, c.liquidationBonus);
      if (lt !== undefined) {
        if (lt === 0n || lt > BOUNDS.MAX_LIQUIDATION_THRESHOLD) {
          bad(`${cw}: liquidationThreshold ${pct(lt)} must be above 0 and at most 95%`);
        }
        if (lt % BOUNDS.CUT_UNIT !== 0n) bad(`${cw}: liquidationThreshold may have at most 9 decimals`);
        if (ltv !== undefined && ltv >= lt) {
          bad(`${cw}: ltv ${pct(ltv)} must be below the liquidationThreshold ${pct(lt)}`);
        }
        if (bonus !== undefined && wMulUp(lt, WAD + bonus) >= WAD) {
          bad(
            `${cw}: liquidationThreshold x (1 + liquidationBonus) = ${c.liquidationThreshold} x ${1 + Number(c.liquidationBonus)} ` +
              `must be below 100% (a liquidation just under HF 1 could not pay its bonus)`,
          );
        }
      }
      if (bonus !== undefined && bonus > BOUNDS.MAX_LIQUIDATION_BONUS) {
        bad(`${cw}: liquidationBonus ${pct(bonus)} must be at most 20%`);
      }
      if (col) {
        const cap = parseAmount(c.supplyCap, col.token.decimals);
        if (cap === undefined) bad(`${cw}: supplyCap "${c.supplyCap}" must be a token amount or "max"`);
        else if (cap > MAX_UINT128) bad(`${cw}: supplyCap ${c.supplyCap} does not fit uint128`);
      }
    }
    if (loan) {
      for (const [k, v] of [
        ["supplyCap", mk.supplyCap],
        ["borrowCap", mk.borrowCap],
        ["minBorrow", mk.minBorrow],
        ["minLeftover", mk.minLeftover],
      ] as const) {
        const amt = k.startsWith("min") ? parseDecimal(v, loan.token.decimals) : parseAmount(v, loan.token.decimals);
        if (amt === undefined)
          bad(`${w}: ${k} "${v}" must be an amount of ${mk.loan}${k.startsWith("min") ? "" : ' or "max"'}`);
        else if (amt > MAX_UINT128) bad(`${w}: ${k} ${v} does not fit uint128`);
      }
      const supplyCap = parseAmount(mk.supplyCap, loan.token.decimals);
      const borrowCap = parseAmount(mk.borrowCap, loan.token.decimals);
      if (supplyCap !== undefined && borrowCap !== undefined && borrowCap > supplyCap) {
        bad(`${w}: borrowCap ${mk.borrowCap} must not exceed supplyCap ${mk.supplyCap}`);
      }
    }
    const rf = ratio(`${w}: reserveFactor`, mk.reserveFactor);
    const pf = ratio(`${w}: insurancePremiumFactor`, mk.insurancePremiumFactor);
    if (rf !== undefined && rf > BOUNDS.MAX_RESERVE_FACTOR) bad(`${w}: reserveFactor ${pct(rf)} must be at most 50%`);
    if (rf !== undefined && rf % BOUNDS.CUT_UNIT !== 0n) bad(`${w}: reserveFactor may have at most 9 decimals`);
    if (pf !== undefined && pf % BOUNDS.CUT_UNIT !== 0n)
      bad(`${w}: insurancePremiumFactor may have at most 9 decimals`);
    if (pf !== undefined && pf > BOUNDS.MAX_INSURANCE_PREMIUM_FACTOR) {
      bad(`${w}: insurancePremiumFactor ${pct(pf)} must be at most 50%`);
    }
    if (rf !== undefined && pf !== undefined && rf + pf >= WAD) {
      bad(`${w}: reserveFactor + insurancePremiumFactor must leave suppliers a share of the interest`);
    }
    const r = mk.rateModel;
    const base = ratio(`${w}: rateModel.baseRate`, r.baseRate);
    const s1 = ratio(`${w}: rateModel.slope1`, r.slope1);
    const s2 = ratio(`${w}: rateModel.slope2`, r.slope2);
    const tu = ratio(`${w}: rateModel.targetUtilization`, r.targetUtilization);
    if (base !== undefined && base > BOUNDS.MAX_BASE_RATE)
      bad(`${w}: rateModel.baseRate ${pct(base)} must be at most 100% a year`);
    if (s1 !== undefined && s1 > BOUNDS.MAX_SLOPE)
      bad(`${w}: rateModel.slope1 ${pct(s1)} must be at most 1,000% a year`);
    if (s2 !== undefined && s2 > BOUNDS.MAX_SLOPE)
      bad(`${w}: rateModel.slope2 ${pct(s2)} must be at most 1,000% a year`);
    if (tu !== undefined && (tu < BOUNDS.MIN_TARGET_UTILIZATION || tu > BOUNDS.MAX_TARGET_UTILIZATION)) {
      bad(`${w}: rateModel.targetUtilization ${pct(tu)} must be between 1% and 99%`);
    }
    if (!mk.insurance.name || !mk.insurance.symbol) bad(`${w}: insurance fund needs a name and a symbol`);
    if (mk.exactTransfers !== undefined && typeof mk.exactTransfers !== "boolean") {
      bad(`${w}: exactTransfers must be true or false (default false: every pull is checked)`);
    }
  });

  // ---------------------------------------------------------------- governance
  const g = config.governance;
  for (const key of ["proposers", "executors", "riskAdmins", "guardians"] as const) {
    const list = g[key];
    if (list.length === 0) {
      bad(
        `governance.${key} is empty` + (config.local ? "" : `: set ${GOVERNANCE_ENV[key]} (comma-separated addresses)`),
      );
    }
    for (const a of list) {
      if (!isAddress(a)) bad(`governance.${key}: ${a} is not an address`);
      else if (getAddress(a) === ZeroAddress && key !== "executors") {
        bad(`governance.${key}: the zero address cannot hold a role`);
      }
    }
  }
  checkUniswap(config, assets, bad);

  if (!(g.timelockMinDelay >= 0)) bad(`governance.timelockMinDelay ${g.timelockMinDelay} must not be negative`);
  if (!config.local && g.timelockMinDelay < BOUNDS.MIN_PUBLIC_TIMELOCK_DELAY) {
    bad(`governance.timelockMinDelay ${g.timelockMinDelay} s is too short for a public network (at least 1 hour)`);
  }

  if (problems.length > 0) throw new ConfigValidationError(config.network, problems);
}

const ERC20_ABI = ["function decimals() view returns (uint8)", "function symbol() view returns (string)"];
const FEED_ABI = [
  "function decimals() view returns (uint8)",
  "function description() view returns (string)",
  "function latestRoundData() view returns (uint80, int256, uint256, uint256, uint80)",
];

/** Reads what must be read on chain; throws ConfigValidationError listing every problem. */
export async function validateConfigOnChain(
  config: NetworkDeployConfig,
  provider: Provider,
  deployer: string,
): Promise<void> {
  const problems: string[] = [];
  const bad = (msg: string): void => {
    problems.push(msg);
  };
  const { chainId } = await provider.getNetwork();
  if (Number(chainId) !== config.chainId) {
    bad(`connected to chain id ${chainId}, but the "${config.network}" config is for chain id ${config.chainId}`);
    throw new ConfigValidationError(config.network, problems);
  }
  const block = await provider.getBlock("latest");
  const now = BigInt(block?.timestamp ?? Math.floor(Date.now() / 1000));

  for (const a of config.assets) {
    const w = `asset ${a.symbol}`;
    if (a.token.kind === "existing" && isAddress(a.token.address)) {
      if ((await provider.getCode(a.token.address)) === "0x") {
        bad(`${w}: no contract at token address ${a.token.address}`);
      } else {
        try {
          const dec = Number(await new Contract(a.token.address, ERC20_ABI, provider).getFunction("decimals")());
          if (dec !== a.token.decimals)
            bad(`${w}: token decimals() is ${dec} on chain, the config says ${a.token.decimals}`);
        } catch {
          bad(`${w}: token ${a.token.address} has no decimals()`);
        }
      }
    }
    if (a.feed.kind === "existing" && isAddress(a.feed.address)) {
      if ((await provider.getCode(a.feed.address)) === "0x") {
        bad(`${w}: no contract at feed address ${a.feed.address}`);
        continue;
      }
      const feed = new Contract(a.feed.address, FEED_ABI, provider);
      try {
        const dec = Number(await feed.getFunction("decimals")());
        if (dec !== a.feed.decimals)
          bad(`${w}: feed decimals() is ${dec} on chain, the config says ${a.feed.decimals}`);
        if (a.feed.description !== undefined) {
          const d = String(await feed.getFunction("description")());
          if (d !== a.feed.description) {
            bad(`${w}: feed description() is "${d}" on chain, the config expects "${a.feed.description}"`);
          }
        }
        const [, answer, , updatedAt] = (await feed.getFunction("latestRoundData")()) as [
          bigint,
          bigint,
          bigint,
          bigint,
          bigint,
        ];
        const maxAge = BigInt(maxAgeOf(a));
        if (answer <= 0n) bad(`${w}: feed latest answer ${answer} is not positive`);
        if (updatedAt > now) bad(`${w}: feed latest round updatedAt ${updatedAt} is in the future (block time ${now})`);
        else if (now - updatedAt > maxAge) {
          bad(
            `${w}: feed latest round is ${now - updatedAt} s old, older than its heartbeat ${a.feed.heartbeat} s + ` +
              `margin ${a.maxAgeMargin} s: the heartbeat is wrong or the feed is stale`,
          );
        }
        if (answer > 0n) {
          const priceWad = answer * 10n ** BigInt(18 - dec);
          const min = parseDecimal(a.minPrice, 18) ?? 0n;
          const max = parseDecimal(a.maxPrice, 18) ?? MAX_UINT128;
          if (priceWad < min || priceWad > max) {
            bad(`${w}: feed answer ${answer} (${dec} decimals) lies outside the bounds [${a.minPrice}, ${a.maxPrice}]`);
          }
        }
      } catch (e) {
        bad(`${w}: feed ${a.feed.address} could not be read (${(e as Error).message.split("\n")[0]})`);
      }
    }
  }

  const g = config.governance;
  for (const key of ["proposers", "executors", "riskAdmins", "guardians"] as const) {
    for (const a of g[key]) {
      if (isAddress(a) && getAddress(a) === getAddress(deployer)) {
        bad(`governance.${key} contains the deployer ${deployer}: the deployer must end with no role at all`);
      }
    }
  }
  if (!config.local && (await provider.getBalance(deployer)) === 0n) {
    bad(`the deployer ${deployer} has no ETH on ${config.network}`);
  }

  if (problems.length > 0) throw new ConfigValidationError(config.network, problems);
}
