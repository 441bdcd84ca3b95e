/**
 * Deployment of the invariant suite's world (two markets with different decimals, an insurance fund, five users,
 * distinct admin / risk / guardian accounts), the batch read of every observable figure, and its decoding into the
 * reference model's state.
 */
import { ethers, network } from "hardhat";
import type { Signer } from "ethers";
import {
  deployCore,
  deployPricedToken,
  createMarket,
  deployInsuranceFund,
  wad,
  PricedToken,
} from "../../scripts/lib/protocol";
import { InvariantProbe__factory } from "../../typechain-types";
import type { BallastCore, InsuranceFund, InvariantProbe } from "../../typechain-types";
import { copyMarket } from "../../sdk/math";
import { RISK_ROLE, GUARDIAN_ROLE } from "../helpers/fixtures";
import { World, Layout, MarketModel, AdapterCfg, Feed, clone } from "./model";

export { RISK_ROLE, GUARDIAN_ROLE };

export interface Env {
  core: BallastCore;
  fund: InsuranceFund;
  probe: InvariantProbe;
  tokens: PricedToken[];
  users: Signer[];
  userAddrs: string[];
  admin: string;
  risk: string;
  guardian: string;
  outsider: string;
  holders: string[];
  L: Layout;
  ids: bigint[];
  coreAddr: string;
  fundAddr: string;
  tokenAddrs: string[];
  feedAddrs: string[];
  adapters: AdapterCfg[];
  decimals: number[];
}

/** Token specs: 0 USDC 6-dec, 1 WETH 18-dec, 2 WBTC 8-dec (floor $10,000), 3 DAI 18-dec, 4 SIX 6-dec with an
 * 18-decimal feed (a decimals mismatch the adapter must scale). */
const SPECS = [
  { symbol: "USDC", decimals: 6, price: "1", heartbeat: 86400, feedDecimals: 8 },
  { symbol: "WETH", decimals: 18, price: "2000", heartbeat: 3600, feedDecimals: 8 },
  { symbol: "WBTC", decimals: 8, price: "60000", heartbeat: 3600, feedDecimals: 8, minPrice: "10000" },
  { symbol: "DAI", decimals: 18, price: "1", heartbeat: 86400, feedDecimals: 8 },
  { symbol: "SIX", decimals: 6, price: "15", heartbeat: 3600, feedDecimals: 18 },
];

export async function deployWorld(): Promise<Env> {
  const signers = await ethers.getSigners();
  const [deployer, alice, bob, carol, dave, eve, frank, riskS, guardianS] = signers as unknown as [
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
  ];
  const admin = await deployer.getAddress();
  const { core } = await deployCore(deployer);
  const risk = await riskS.getAddress();
  const guardian = await guardianS.getAddress();
  await (await core.grantRole(RISK_ROLE, risk)).wait();
  await (await core.grantRole(GUARDIAN_ROLE, guardian)).wait();
  const tokens: PricedToken[] = [];
  for (const s of SPECS) tokens.push(await deployPricedToken(deployer, s));
  const [usdc, weth, wbtc, dai, six] = tokens as [PricedToken, PricedToken, PricedToken, PricedToken, PricedToken];
  const m1 = await createMarket(core, {
    loan: usdc,
    collaterals: [
      { asset: weth, ltv: wad("0.8"), liquidationThreshold: wad("0.85"), liquidationBonus: wad("0.05") },
      { asset: wbtc, ltv: wad("0.75"), liquidationThreshold: wad("0.8"), liquidationBonus: wad("0.07") },
    ],
    minBorrow: 10n * 10n ** 6n,
    minLeftover: 10n * 10n ** 6n,
  });
  const m2 = await createMarket(core, {
    loan: dai,
    collaterals: [{ asset: six, ltv: wad("0.7"), liquidationThreshold: wad("0.75"), liquidationBonus: wad("0.1") }],
    reserveFactor: wad("0.2"),
  });
  const fund = await deployInsuranceFund(deployer, core, m1, await usdc.token.getAddress());
  const coreAddr = await core.getAddress();
  const fundAddr = await fund.getAddress();
  const users = [alice, bob, carol, dave, eve];
  const userAddrs = await Promise.all(users.map((u) => u.getAddress()));
  for (const u of users) {
    for (const t of tokens) {
      await (await t.token.mint(await u.getAddress(), 10n ** BigInt(t.spec.decimals + 12))).wait();
      await (await t.token.connect(u).approve(coreAddr, ethers.MaxUint256)).wait();
    }
    await (await usdc.token.connect(u).approve(fundAddr, ethers.MaxUint256)).wait();
  }
  // Seed: suppliers, a staker, and borrowers close to their LTV in both markets.
  const U = 10n ** 6n;
  const E = 10n ** 18n;
  const c = (s: Signer) => core.connect(s);
  await (await c(alice).supply(m1, 1_000_000n * U, 0, userAddrs[0]!)).wait();
  await (await c(bob).supply(m1, 500_000n * U, 0, userAddrs[1]!)).wait();
  await (await c(alice).supply(m2, 1_000_000n * E, 0, userAddrs[0]!)).wait();
  await (await fund.connect(bob).deposit(100_000n * U, userAddrs[1]!)).wait();
  // Short cooldown (1 hour, then a 1-day window) so stake / cooldown / unstake cycles fit in a short sequence.
  await (await fund.setCooldownParams(3600, 86400)).wait();
  await (await fund.connect(bob).cooldown(await fund.balanceOf(userAddrs[1]!))).wait();
  await (await c(carol).supplyCollateral(m1, 0, 100n * E, userAddrs[2]!)).wait();
  await (await c(carol).supplyCollateral(m1, 1, 2n * 10n ** 8n, userAddrs[2]!)).wait();
  await (await c(carol).borrow(m1, 249_000n * U, 0, userAddrs[2]!, userAddrs[2]!)).wait();
  await (await c(dave).supplyCollateral(m1, 0, 50n * E, userAddrs[3]!)).wait();
  await (await c(dave).borrow(m1, 79_900n * U, 0, userAddrs[3]!, userAddrs[3]!)).wait();
  await (await c(carol).supplyCollateral(m2, 0, 10_000n * U, userAddrs[2]!)).wait();
  await (await c(carol).borrow(m2, 104_000n * E, 0, userAddrs[2]!, userAddrs[2]!)).wait();
  await (await c(dave).supplyCollateral(m2, 0, 1_000n * U, userAddrs[3]!)).wait();
  await (await c(dave).borrow(m2, 10_400n * E, 0, userAddrs[3]!, userAddrs[3]!)).wait();
  await (await c(eve).supply(m2, 50_000n * E, 0, userAddrs[4]!)).wait();
  // A large, safe borrower keeps market 1 at 75% utilization, so full withdrawals meet the liquidity limit.
  await (await c(eve).supplyCollateral(m1, 0, 1_000n * E, userAddrs[4]!)).wait();
  await (await c(eve).borrow(m1, 800_000n * U, 0, userAddrs[4]!, userAddrs[4]!)).wait();

  // The fund's address sends the fuzzer's claimPremium as the fund (the core lets only the market's fund claim).
  await rpc("hardhat_impersonateAccount", [fundAddr]);
  await rpc("hardhat_setBalance", [fundAddr, "0x56BC75E2D63100000"]);

  const probe = await new InvariantProbe__factory(deployer).deploy();
  await probe.waitForDeployment();
  const outsider = await frank.getAddress();
  const holders = [...userAddrs, admin, outsider, coreAddr, fundAddr];
  const L: Layout = { users: 5, admin: 5, outsider: 6, core: 7, fund: 8 };
  const adapters: AdapterCfg[] = SPECS.map((s) => ({
    maxAge: BigInt(s.heartbeat + 600),
    minPrice: wad(s.minPrice ?? "0.000001"),
    maxPrice: wad("10000000"),
    toWad: 10n ** BigInt(18 - s.feedDecimals),
    wadToPrice: 10n ** BigInt(18 - s.decimals),
  }));
  return {
    core,
    fund,
    probe,
    tokens,
    users,
    userAddrs,
    admin,
    risk,
    guardian,
    outsider,
    holders,
    L,
    ids: [m1, m2],
    coreAddr,
    fundAddr,
    tokenAddrs: await Promise.all(tokens.map((t) => t.token.getAddress())),
    feedAddrs: await Promise.all(tokens.map((t) => t.feed.getAddress())),
    adapters,
    decimals: SPECS.map((s) => s.decimals),
  };
}

/** Everything observable, in the probe's layout. */
export async function readRaw(env: Env): Promise<bigint[]> {
  const out = await env.probe.read(env.coreAddr, env.ids, env.userAddrs, env.tokenAddrs, env.holders, [env.fundAddr]);
  return out.map((x) => BigInt(x));
}

/** The probe's layout for a model state, with a label per figure (the same order as InvariantProbe.read). */
export function flatten(w: World): { labels: string[]; values: bigint[]; setters: ((v: bigint) => void)[] } {
  const labels: string[] = [];
  const values: bigint[] = [];
  const setters: ((v: bigint) => void)[] = [];
  // Each figure is read with its setter (`set`), so `unflatten` can write the probe's values back.
  let set: (v: bigint) => void = () => {};
  const put = (l: string, v: bigint | number) => {
    labels.push(l);
    values.push(BigInt(v));
    setters.push(set);
  };
  const S =
    <T extends object>(o: T, k: keyof T, asNumber = false) =>
    (v: bigint) => {
      (o as Record<keyof T, unknown>)[k] = asNumber ? Number(v) : v;
    };
  w.markets.forEach((mk) => {
    const p = `m${mk.id}.`;
    const m = mk.m;
    set = S(m, "totalSupplyAssets");
    put(p + "totalSupplyAssets", m.totalSupplyAssets);
    set = S(m, "totalSupplyShares");
    put(p + "totalSupplyShares", m.totalSupplyShares);
    set = S(m, "totalBorrowAssets");
    put(p + "totalBorrowAssets", m.totalBorrowAssets);
    set = S(m, "totalBorrowShares");
    put(p + "totalBorrowShares", m.totalBorrowShares);
    set = S(m, "reserves");
    put(p + "reserves", m.reserves);
    set = S(m, "premiumOwed");
    put(p + "premiumOwed", m.premiumOwed);
    set = S(m, "pendingShortfall");
    put(p + "pendingShortfall", m.pendingShortfall);
    set = S(m, "lastUpdate");
    put(p + "lastUpdate", m.lastUpdate);
    set = S(m, "liquidationGraceUntil");
    put(p + "liquidationGraceUntil", m.liquidationGraceUntil);
    const c = mk.cfg;
    set = S(c, "paused", true);
    put(p + "paused", c.paused);
    set = S(c, "supplyCap");
    put(p + "supplyCap", c.supplyCap);
    set = S(c, "borrowCap");
    put(p + "borrowCap", c.borrowCap);
    set = S(c, "minBorrow");
    put(p + "minBorrow", c.minBorrow);
    set = S(c, "minLeftover");
    put(p + "minLeftover", c.minLeftover);
    set = S(c, "reserveFactor");
    put(p + "reserveFactor", c.reserveFactor);
    set = S(c, "insurancePremiumFactor");
    put(p + "insurancePremiumFactor", c.insurancePremiumFactor);
    set = S(c, "closeFactorHfThreshold");
    put(p + "closeFactorHfThreshold", c.closeFactorHfThreshold);
    set = S(c, "protocolBonusShare");
    put(p + "protocolBonusShare", c.protocolBonusShare);
    set = S(c, "liquidationGracePeriod");
    put(p + "liquidationGracePeriod", c.liquidationGracePeriod);
    set = S(c.rateModel, "slope1");
    put(p + "slope1", c.rateModel.slope1);
    set = S(c.rateModel, "slope2");
    put(p + "slope2", c.rateModel.slope2);
    // The core's copies of the factors (Market.reserveCut, premiumCut) agree with them: the probe says 1.
    set = () => {};
    put(p + "cutsInSync", 1n);
    mk.cols.forEach((col, j) => {
      set = S(col, "totalSupplied");
      put(`${p}col${j}.totalSupplied`, col.totalSupplied);
      set = S(col, "protocolBalance");
      put(`${p}col${j}.protocolBalance`, col.protocolBalance);
      set = S(col, "ltv");
      put(`${p}col${j}.ltv`, col.ltv);
      set = S(col, "liquidationThreshold");
      put(`${p}col${j}.liquidationThreshold`, col.liquidationThreshold);
      set = S(col, "liquidationBonus");
      put(`${p}col${j}.liquidationBonus`, col.liquidationBonus);
      set = S(col, "supplyCap");
      put(`${p}col${j}.supplyCap`, col.supplyCap);
      set = () => {};
      put(`${p}col${j}.thresholdInSync`, 1n);
    });
    mk.pos.forEach((pos, u) => {
      set = S(pos, "supplyShares");
      put(`${p}user${u}.supplyShares`, pos.supplyShares);
      set = S(pos, "borrowShares");
      put(`${p}user${u}.borrowShares`, pos.borrowShares);
      set = S(pos, "shortfall");
      put(`${p}user${u}.shortfall`, pos.shortfall);
      pos.collateral.forEach((x, j) => {
        set = (v) => (pos.collateral[j] = v);
        put(`${p}user${u}.col${j}`, x);
      });
    });
  });
  w.tokenSupply.forEach((s, t) => {
    set = (v) => (w.tokenSupply[t] = v);
    put(`token${t}.totalSupply`, s);
    w.balances[t]!.forEach((b, h) => {
      set = (v) => (w.balances[t]![h] = v);
      put(`token${t}.holder${h}`, b);
    });
  });
  const f = w.fund;
  set = S(f, "totalSupply");
  put("fund.totalSupply", f.totalSupply);
  set = S(f, "bucketIndex");
  put("fund.bucketIndex", f.bucketIndex);
  set = S(f, "currentBucket");
  put("fund.currentBucket", f.currentBucket);
  set = S(f, "previousBucket");
  put("fund.previousBucket", f.previousBucket);
  f.shares.forEach((s, u) => {
    set = (v) => (f.shares[u] = v);
    put(`fund.user${u}.shares`, s);
    set = (v) => (f.cooling[u] = v);
    put(`fund.user${u}.cooling`, f.cooling[u]!);
    set = (v) => (f.cooldownStart[u] = v);
    put(`fund.user${u}.cooldownStart`, f.cooldownStart[u]!);
  });
  return { labels, values, setters };
}

/** The model state `template` with every observed figure replaced by the probe's `raw` values. */
export function unflatten(template: World, raw: bigint[]): World {
  const w = clone(template);
  const { setters } = flatten(w);
  if (setters.length !== raw.length) throw new Error(`probe layout ${raw.length} != model ${setters.length}`);
  setters.forEach((s, i) => s(raw[i]!));
  return w;
}

/** Builds the model's initial state from the chain (once, after deployment). */
export async function initialWorld(env: Env): Promise<World> {
  const { core, fund } = env;
  const latest = await ethers.provider.getBlock("latest");
  const markets: MarketModel[] = [];
  for (const [mi, id] of env.ids.entries()) {
    const m = await core.market(id);
    const c = await core.config(id);
    const cols = [];
    for (let j = 0; j < Number(c.collateralCount); j++) {
      const col = await core.collateral(id, j);
      cols.push({
        token: env.tokenAddrs.indexOf(col.token),
        totalSupplied: col.totalSupplied,
        protocolBalance: col.protocolBalance,
        ltv: col.ltv,
        liquidationThreshold: col.liquidationThreshold,
        liquidationBonus: col.liquidationBonus,
        supplyCap: col.supplyCap,
      });
    }
    const pos = [];
    for (const a of env.userAddrs) {
      const p = await core.position(id, a);
      pos.push({
        supplyShares: p[0],
        borrowShares: p[1],
        shortfall: p[2],
        collateral: p[3].slice(0, cols.length).map((x) => BigInt(x)),
      });
    }
    markets.push({
      id,
      loan: env.tokenAddrs.indexOf(c.loanToken),
      hasFund: mi === 0,
      m: copyMarket(m),
      // The core keeps no loss totals (issue 15): the model's, from BadDebtRealized, start at zero.
      loss: { badDebtRealized: 0n, fromReserves: 0n, fromInsurance: 0n, socialized: 0n },
      cfg: {
        paused: Number(c.paused),
        supplyCap: c.supplyCap,
        borrowCap: c.borrowCap,
        minBorrow: c.minBorrow,
        minLeftover: c.minLeftover,
        reserveFactor: c.reserveFactor,
        insurancePremiumFactor: c.insurancePremiumFactor,
        closeFactorHfThreshold: c.closeFactorHfThreshold,
        protocolBonusShare: c.protocolBonusShare,
        liquidationGracePeriod: c.liquidationGracePeriod,
        rateModel: {
          baseRate: c.rateModel.baseRate,
          slope1: c.rateModel.slope1,
          slope2: c.rateModel.slope2,
          targetUtilization: c.rateModel.targetUtilization,
        },
        reserveFloor: c.reserveFloor,
      },
      cols,
      pos,
    });
  }
  const tokenSupply: bigint[] = [];
  const balances: bigint[][] = [];
  const feeds: Feed[] = [];
  for (const t of env.tokens) {
    tokenSupply.push(await t.token.totalSupply());
    balances.push(await Promise.all(env.holders.map((h) => t.token.balanceOf(h))));
    const r = await t.feed.latestRoundData();
    feeds.push({ answer: r[1], updatedAt: r[3] });
  }
  const nUsers = env.userAddrs.length;
  const w: World = {
    now: BigInt(latest!.timestamp),
    markets,
    tokenSupply,
    balances,
    fund: {
      totalSupply: await fund.totalSupply(),
      bucketIndex: await fund.bucketIndex(),
      currentBucket: await fund.currentBucket(),
      previousBucket: await fund.previousBucket(),
      shares: await Promise.all(env.userAddrs.map((a) => fund.balanceOf(a))),
      cooling: await Promise.all(env.userAddrs.map(async (a) => (await fund.cooldowns(a)).shares)),
      cooldownStart: await Promise.all(env.userAddrs.map(async (a) => (await fund.cooldowns(a)).start)),
      maxDrawPerEvent: await fund.maxDrawPerEvent(),
      windowShare: await fund.windowShare(),
      windowLength: await fund.windowLength(),
      cooldown: await fund.cooldownPeriod(),
      unstakeWindow: await fund.unstakeWindow(),
    },
    feeds,
    adapters: env.adapters,
  };
  if (w.fund.shares.length !== nUsers) throw new Error("fund users");
  return w;
}

export async function rpc<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
  return (await network.provider.request({ method, params })) as T;
}
