/** Implementation of the ballast:* tasks (see tasks/index.ts): readable tables over the lens. */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Contract, formatUnits, getAddress, isAddress, MaxUint256, parseUnits } from "ethers";
import { readDeployment, deploymentsDir, deploymentFile, type Deployment } from "../scripts/lib/deploy-output";
import fs from "node:fs";
import { lossTotals } from "../sdk/losses";

const WAD = 10n ** 18n;
const PRICE_SCALE = 10n ** 36n;
const ERC20 = ["function decimals() view returns (uint8)", "function symbol() view returns (string)"];
const PAUSE_NAMES = ["supply", "withdraw", "borrow", "collateralIn", "collateralOut", "liquidate"] as const;

/** The deployment of the current network; the embedded network gets a fresh in-memory one. */
export async function loadDeployment(hre: HardhatRuntimeEnvironment): Promise<Deployment> {
  const dir = deploymentsDir(hre.config.paths.root);
  if (hre.network.name === "hardhat" && !fs.existsSync(deploymentFile("hardhat", dir))) {
    console.warn(
      "note: no --network, so this ran on Hardhat's in-process chain with a fresh deployment that ends with this " +
        "command; for the node of `npm run node`, add --network localhost",
    );
    const { deployBallast } = await import("../scripts/lib/deploy-ballast");
    return (await deployBallast(hre, { write: false })).record;
  }
  const d = readDeployment(hre.network.name, dir);
  const chainId = Number((await hre.ethers.provider.getNetwork()).chainId);
  if (chainId !== d.chainId) {
    throw new Error(`deployments/${hre.network.name}.json is for chain ${d.chainId}, the node is chain ${chainId}`);
  }
  if ((await hre.ethers.provider.getCode(d.contracts.BallastCore!)) === "0x") {
    throw new Error(`no BallastCore at ${d.contracts.BallastCore} on ${hre.network.name}: the node was restarted?`);
  }
  return d;
}

/** Left-aligned text table with a header rule. */
export function table(rows: Record<string, string>[]): string {
  if (rows.length === 0) return "(none)";
  const cols = Object.keys(rows[0]!);
  const w = cols.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(w[i]!))
      .join("  ")
      .trimEnd();
  return [line(cols), line(w.map((n) => "-".repeat(n))), ...rows.map((r) => line(cols.map((c) => r[c] ?? "")))].join(
    "\n",
  );
}

/** Amount with thousands separators and `digits` decimals (rounded down). */
export function fmt(amount: bigint, decimals: number, digits = 2): string {
  const neg = amount < 0n;
  const s = formatUnits(neg ? -amount : amount, decimals);
  const [whole = "0", frac = ""] = s.split(".");
  const w = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const f = digits > 0 ? "." + frac.padEnd(digits, "0").slice(0, digits) : "";
  return (neg ? "-" : "") + w + f;
}
const pct = (wad: bigint) => `${fmt(wad * 100n, 18, 2)}%`;
const usd = (wad: bigint) => `$${fmt(wad, 18, 2)}`;
const hf = (wad: bigint) => (wad === MaxUint256 ? "∞ (no debt)" : fmt(wad, 18, 4));

interface TokenInfo {
  symbol: string;
  decimals: number;
}
async function tokenInfo(hre: HardhatRuntimeEnvironment, d: Deployment, address: string): Promise<TokenInfo> {
  const named = Object.entries(d.contracts).find(([, a]) => a.toLowerCase() === address.toLowerCase());
  const t = new Contract(address, ERC20, hre.ethers.provider);
  const decimals = Number(await t.getFunction("decimals")());
  const symbol = named?.[0] ?? String(await t.getFunction("symbol")());
  return { symbol, decimals };
}

async function lensOf(hre: HardhatRuntimeEnvironment, d: Deployment) {
  return hre.ethers.getContractAt("BallastLens", d.contracts.BallastLens!);
}

async function marketIds(hre: HardhatRuntimeEnvironment, d: Deployment): Promise<number[]> {
  const core = await hre.ethers.getContractAt("BallastCore", d.contracts.BallastCore!);
  const n = Number(await core.marketCount());
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** `price` in adapter scale (USD per base unit x 1e36) to USD per whole token, 18 decimals. */
const perToken = (price: bigint, decimals: number) => (price * 10n ** BigInt(decimals) * WAD) / PRICE_SCALE;

export async function marketsReport(hre: HardhatRuntimeEnvironment): Promise<string> {
  const d = await loadDeployment(hre);
  const lens = await lensOf(hre, d);
  const rows: Record<string, string>[] = [];
  const oracleRows: Record<string, string>[] = [];
  for (const id of await marketIds(hre, d)) {
    const v = await lens.market(id);
    const loan = await tokenInfo(hre, d, v.loanToken);
    const paused = PAUSE_NAMES.filter((k) => Boolean((v.paused as unknown as Record<string, boolean>)[k]));
    rows.push({
      market: String(id),
      loan: loan.symbol,
      supplied: fmt(v.totalSupplyAssets, loan.decimals),
      borrowed: fmt(v.totalBorrowAssets, loan.decimals),
      utilization: pct(v.utilization),
      "borrow APR": pct(v.borrowRate),
      "supply APR": pct(v.supplyRate),
      reserves: fmt(v.reserves, loan.decimals),
      "supply cap": v.supplyCap >= (1n << 128n) - 1n ? "none" : fmt(v.supplyCap, loan.decimals, 0),
      paused: paused.length ? paused.join(",") : "-",
    });
    const oracles = [
      { what: `${loan.symbol} (loan)`, o: v.loanOracle, decimals: loan.decimals },
      ...(await Promise.all(
        v.collaterals.map(async (c) => {
          const t = await tokenInfo(hre, d, c.token);
          return {
            what: `${t.symbol} (LTV ${pct(c.ltv)}, LT ${pct(c.liquidationThreshold)})`,
            o: c.oracle,
            decimals: t.decimals,
          };
        }),
      )),
    ];
    for (const x of oracles) {
      oracleRows.push({
        market: String(id),
        asset: x.what,
        "price (USD)": x.o.valid ? usd(perToken(x.o.price, x.decimals)) : "-",
        status: x.o.valid ? "valid" : `INVALID ${decodeOracleError(hre, x.o.error)}`,
      });
    }
  }
  return [`Ballast markets on ${d.network} (chain ${d.chainId})`, table(rows), "", "Oracles", table(oracleRows)].join(
    "\n",
  );
}

/** The adapter error's name and arguments, e.g. StalePrice(0x.., 1700000000, 4200). */
function decodeOracleError(hre: HardhatRuntimeEnvironment, data: string): string {
  try {
    const iface = new hre.ethers.Interface([
      "error FeedReverted(address feed)",
      "error NonPositivePrice(address feed, int256 answer)",
      "error StalePrice(address feed, uint256 updatedAt, uint256 maxAge)",
      "error FuturePrice(address feed, uint256 updatedAt)",
      "error PriceOutOfBounds(address feed, int256 answer, int256 minAnswer, int256 maxAnswer)",
      "error SequencerDown()",
      "error GracePeriodNotOver(uint256 upSince, uint256 gracePeriod)",
      "error FallbackDeviationTooHigh(int256 primaryReference, int256 fallbackAnswer)",
    ]);
    const e = iface.parseError(data);
    return e ? `${e.name}(${e.args.map(String).join(", ")})` : data;
  } catch {
    return data;
  }
}

export async function positionReport(
  hre: HardhatRuntimeEnvironment,
  account: string,
  market?: number,
): Promise<string> {
  if (!isAddress(account)) throw new Error(`--account ${account} is not an address`);
  const user = getAddress(account);
  const d = await loadDeployment(hre);
  const lens = await lensOf(hre, d);
  if (market !== undefined) await checkMarket(hre, d, market);
  const ids = market !== undefined ? [market] : await marketIds(hre, d);
  const rows: Record<string, string>[] = [];
  const colRows: Record<string, string>[] = [];
  for (const id of ids) {
    const m = await lens.market(id);
    const loan = await tokenInfo(hre, d, m.loanToken);
    const p = await lens.position(id, user);
    const held = p.collaterals.filter((c) => c.amount > 0n);
    if (p.supplyShares === 0n && p.borrowShares === 0n && held.length === 0 && market === undefined) continue;
    rows.push({
      market: String(id),
      loan: loan.symbol,
      supplied: fmt(p.supplyAssets, loan.decimals),
      debt: fmt(p.debt, loan.decimals),
      "collateral value": usd(p.collateralValue),
      "debt value": usd(p.debtValue),
      "health factor": p.debt > 0n && !p.pricesValid ? "price invalid" : hf(p.healthFactor),
      "can still borrow": fmt(p.borrowPowerLeft, loan.decimals),
    });
    for (const c of held) {
      const t = await tokenInfo(hre, d, c.token);
      colRows.push({
        market: String(id),
        collateral: t.symbol,
        amount: fmt(c.amount, t.decimals, 4),
        "price (USD)": c.priceValid ? usd(perToken(c.price, t.decimals)) : "invalid",
        "value (USD)": usd(c.value),
        "liquidation price (USD)": c.liquidationPrice > 0n ? usd(perToken(c.liquidationPrice, t.decimals)) : "-",
      });
    }
  }
  return [
    `Positions of ${user} on ${d.network}`,
    table(rows),
    ...(colRows.length ? ["", "Collateral", table(colRows)] : []),
  ].join("\n");
}

export async function solvencyReport(hre: HardhatRuntimeEnvironment, id: number): Promise<string> {
  const d = await loadDeployment(hre);
  await checkMarket(hre, d, id);
  const lens = await lensOf(hre, d);
  const m = await lens.market(id);
  const loan = await tokenInfo(hre, d, m.loanToken);
  const s = await lens.solvency(id);
  // The core keeps no running loss totals: the BadDebtRealized events carry them (sdk/losses.ts).
  // From the core's creation block, never block 0 (a mainnet scan from 0 is millions of blocks).
  const core = await hre.ethers.getContractAt("BallastCore", d.contracts.BallastCore!);
  const loss = await lossTotals(core, id, d.block);
  const a = (x: bigint) => `${fmt(x, loan.decimals)} ${loan.symbol}`;
  const rows = [
    ["total supplied", a(s.totalSupplyAssets)],
    ["total debt", a(s.totalDebt)],
    ["cash", a(s.cash)],
    ["reserves", a(s.reserves)],
    ["insurance fund assets", a(s.insuranceFundAssets)],
    ["coverage (reserves + fund) / debt", s.coverageRatio === MaxUint256 ? "∞ (no debt)" : pct(s.coverageRatio)],
    ["pending shortfall", a(s.pendingShortfall)],
    ["uncovered shortfall", a(s.uncoveredShortfall)],
    ["bad debt realized (total)", a(loss.badDebtRealized)],
    ["  covered by reserves", a(loss.fromReserves)],
    ["  covered by insurance", a(loss.fromInsurance)],
    ["  socialized to suppliers", a(loss.socialized)],
    ["insurance drawn in window", a(s.insuranceDrawnInWindow)],
    ["insurance window cap left", a(s.insuranceWindowCapLeft)],
  ].map(([k, v]) => ({ item: k!, value: v! }));
  return [`Solvency of market ${id} (${loan.symbol}) on ${d.network}`, table(rows)].join("\n");
}

/** Parses a USD price for a feed of `decimals`: one line naming the problem if it is not a positive number. */
export function parsePrice(price: string, decimals: number, asset: string): bigint {
  if (!/^\d+(\.\d+)?$/.test(price.trim()))
    throw new Error(`--price ${price} is not a number (USD per whole ${asset}, e.g. 2500.5)`);
  const frac = price.trim().split(".")[1] ?? "";
  if (frac.length > decimals) {
    throw new Error(`--price ${price} has ${frac.length} decimals; the ${asset} feed has ${decimals}`);
  }
  const answer = parseUnits(price.trim(), decimals);
  if (answer <= 0n) throw new Error(`--price must be positive`);
  return answer;
}

/** The deployment's asset symbol matching `asset` in any case (e.g. weth -> WETH), or a one-line error listing them. */
export function assetSymbol(d: Deployment, asset: string): string {
  const known = Object.keys(d.contracts)
    .filter((k) => k.endsWith("PriceFeed"))
    .map((k) => k.slice(0, -"PriceFeed".length));
  const match = known.find((k) => k.toLowerCase() === asset.trim().toLowerCase());
  if (!match) throw new Error(`unknown --asset ${asset}: known assets are ${known.join(", ")}`);
  return match;
}

export async function setPrice(hre: HardhatRuntimeEnvironment, asset: string, price: string): Promise<string> {
  const chainId = Number((await hre.ethers.provider.getNetwork()).chainId);
  if (chainId !== 31337 || !["hardhat", "localhost"].includes(hre.network.name)) {
    throw new Error(
      `ballast:set-price only works on local networks (hardhat, localhost); ${hre.network.name} (chain ${chainId}) ` +
        `uses real Chainlink feeds`,
    );
  }
  const d = await loadDeployment(hre);
  const symbol = assetSymbol(d, asset);
  const feedAddr = d.contracts[`${symbol}PriceFeed`]!;
  const feed = await hre.ethers.getContractAt("MockV3Aggregator", feedAddr);
  const decimals = Number(await feed.decimals());
  const answer = parsePrice(price, decimals, symbol);
  const warning = await boundsWarning(hre, d, symbol, answer * 10n ** BigInt(18 - decimals));
  const before = await feed.latestAnswer();
  await (await feed.updateAnswer(answer)).wait();
  return [
    `${symbol}/USD feed ${feedAddr}: ${fmt(before, decimals)} -> ${fmt(answer, decimals)} USD`,
    ...(warning ? [warning] : []),
  ].join("\n");
}

/** A warning when `priceWad` lies outside the asset adapter's bounds (the adapter then reports it invalid). */
async function boundsWarning(
  hre: HardhatRuntimeEnvironment,
  d: Deployment,
  symbol: string,
  priceWad: bigint,
): Promise<string | undefined> {
  const adapterAddr = d.contracts[`${symbol}PriceAdapter`];
  if (!adapterAddr) return undefined;
  const adapter = await hre.ethers.getContractAt("ChainlinkPriceAdapter", adapterAddr);
  const [min, max] = [await adapter.minPrice(), await adapter.maxPrice()];
  if (priceWad >= min && priceWad <= max) return undefined;
  return (
    `warning: ${fmt(priceWad, 18)} USD is outside the ${symbol} adapter's bounds [${fmt(min, 18)}, ${fmt(max, 18)}]: ` +
    `the adapter reports the price invalid (PriceOutOfBounds), which halts borrowing, collateral withdrawals and ` +
    `liquidations wherever ${symbol} is priced`
  );
}

/** Throws one line listing the markets when `id` is not one of them. */
export async function checkMarket(hre: HardhatRuntimeEnvironment, d: Deployment, id: number): Promise<void> {
  const ids = await marketIds(hre, d);
  if (!ids.includes(id))
    throw new Error(`unknown --market ${id}: ${d.network} has markets ${ids.join(", ") || "none"}`);
}
