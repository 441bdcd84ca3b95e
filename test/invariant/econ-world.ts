/**
 * The economic-properties fuzzer's world (issue 13): one USDC market with WETH and WBTC collateral and its insurance
 * fund; honest suppliers and stakers (the ones an attacker would take value from), borrowers sized like the review's
 * reproductions (10 WETH / 15,000 USDC, a large one, a two-collateral one and a dust one), two attackers and a keeper.
 *
 * Interest runs once during set-up (so reserves and premium owed are non-zero), then the rate model is set to zero:
 * with no interest, every change of an actor's value comes from the actions themselves, which is what E1-E4 check.
 */
import { ethers } from "hardhat";
import type { Signer } from "ethers";
import {
  deployCore,
  deployPricedToken,
  createMarket,
  deployInsuranceFund,
  wad,
  PricedToken,
} from "../../scripts/lib/protocol";
import { EconomicsProbe__factory } from "../../typechain-types";
import type { BallastCore, InsuranceFund, EconomicsProbe } from "../../typechain-types";
import { RISK_ROLE } from "../helpers/fixtures";
import { rpc } from "./world";
import { cooldownData } from "./econ-fund";

export const U = 10n ** 6n;
export const E = 10n ** 18n;
export const B = 10n ** 8n;
/** Fund window length: the review's finding 12 (24 h) */
export const WINDOW = 86400;
export const COOLDOWN = 3600;
export const UNSTAKE_WINDOW = 86400;

export interface EconEnv {
  core: BallastCore;
  fund: InsuranceFund;
  probe: EconomicsProbe;
  tokens: PricedToken[]; // 0 USDC, 1 WETH, 2 WBTC
  id: bigint;
  coreAddr: string;
  fundAddr: string;
  tokenAddrs: string[];
  feedAddrs: string[];
  probeAddr: string;
  /** accounts read by the probe, by role */
  accounts: string[];
  A: { honest1: 0; honest2: 1; staker1: 2; staker2: 3; attacker1: 4; attacker2: 5; keeper: 6 };
  /** borrowers: accounts index 7.. */
  borrowers: number[];
  risk: string;
  admin: string;
  /** cooldowns started during set-up: account -> (start, shares cooled) */
  cooled: Map<number, { start: bigint; shares: bigint }>;
}

export const ROLE = { honest1: 0, honest2: 1, staker1: 2, staker2: 3, attacker1: 4, attacker2: 5, keeper: 6 } as const;
export const ATTACKERS = [ROLE.attacker1, ROLE.attacker2];
export const STAKERS = [ROLE.staker1, ROLE.staker2, ROLE.attacker1, ROLE.attacker2];

/** Token specs: all feeds with a one-day heartbeat, so only deliberate outages make a price stale. */
const SPECS = [
  { symbol: "USDC", decimals: 6, price: "1", heartbeat: 86400 },
  { symbol: "WETH", decimals: 18, price: "2000", heartbeat: 86400 },
  { symbol: "WBTC", decimals: 8, price: "60000", heartbeat: 86400 },
];
export const DECIMALS = SPECS.map((s) => s.decimals);

export const ZERO_RATE = { baseRate: 0n, slope1: 0n, slope2: 0n, targetUtilization: wad("0.8") };

type Tx = { wait(): Promise<unknown> };
const send = async (p: Promise<Tx>) => void (await (await p).wait());

/** Deploys the world and returns it; the caller snapshots the chain. */
export async function deployEconWorld(): Promise<EconEnv> {
  const signers = (await ethers.getSigners()) as unknown as Signer[];
  const deployer = signers[0]!;
  const riskS = signers[1]!;
  const actors = signers.slice(2, 9); // honest1, honest2, staker1, staker2, attacker1, attacker2, keeper
  const borrowerS = signers.slice(9, 13);
  const admin = await deployer.getAddress();
  const { core } = await deployCore(deployer);
  const risk = await riskS.getAddress();
  await send(core.grantRole(RISK_ROLE, risk));
  const tokens: PricedToken[] = [];
  for (const s of SPECS) tokens.push(await deployPricedToken(deployer, s));
  const [usdc, weth, wbtc] = tokens as [PricedToken, PricedToken, PricedToken];
  const id = await createMarket(core, {
    loan: usdc,
    collaterals: [
      { asset: weth, ltv: wad("0.8"), liquidationThreshold: wad("0.85"), liquidationBonus: wad("0.05") },
      { asset: wbtc, ltv: wad("0.75"), liquidationThreshold: wad("0.8"), liquidationBonus: wad("0.07") },
    ],
    minBorrow: 10n * U,
    minLeftover: 10n * U,
    rateModel: { baseRate: wad("0.5"), slope1: 0n, slope2: 0n, targetUtilization: wad("0.8") },
  });
  const fund = await deployInsuranceFund(deployer, core, id, await usdc.token.getAddress());
  await send(fund.setDrawLimits(wad("0.5"), wad("0.5"), WINDOW));
  await send(fund.setCooldownParams(COOLDOWN, UNSTAKE_WINDOW));
  const coreAddr = await core.getAddress();
  const fundAddr = await fund.getAddress();
  const all = [...actors, ...borrowerS];
  const accounts = await Promise.all(all.map((s) => s.getAddress()));
  for (const s of all) {
    const a = await s.getAddress();
    for (const t of tokens) {
      await send(t.token.mint(a, 10n ** BigInt(t.spec.decimals + 9)));
      await send(t.token.connect(s).approve(coreAddr, ethers.MaxUint256));
    }
    await send(usdc.token.connect(s).approve(fundAddr, ethers.MaxUint256));
  }
  const c = (i: number) => core.connect(all[i]!);
  await send(c(ROLE.honest1).supply(id, 1_000_000n * U, 0, accounts[ROLE.honest1]!));
  await send(c(ROLE.honest2).supply(id, 500_000n * U, 0, accounts[ROLE.honest2]!));
  await send(fund.connect(all[ROLE.staker1]!).deposit(100_000n * U, accounts[ROLE.staker1]!));
  await send(fund.connect(all[ROLE.staker2]!).deposit(50_000n * U, accounts[ROLE.staker2]!));
  const borrow = async (i: number, weths: bigint, wbtcs: bigint, debt: bigint) => {
    const a = accounts[i]!;
    if (weths > 0n) await send(c(i).supplyCollateral(id, 0, weths, a));
    if (wbtcs > 0n) await send(c(i).supplyCollateral(id, 1, wbtcs, a));
    await send(c(i).borrow(id, debt, 0, a, a));
  };
  // The review's 10 WETH / 15,000 position; a large one; two collaterals; multi-collateral dust (finding 7).
  await borrow(7, 10n * E, 0n, 14_400n * U);
  await borrow(8, 100n * E, 0n, 144_000n * U);
  await borrow(9, 5n * E, B / 5n, 15_400n * U);
  await borrow(10, (55n * E) / 10_000n, 18_333n, 14n * U);
  // 30 days at 50% a year: reserves and premium owed become non-zero; then no more interest.
  const now = (await ethers.provider.getBlock("latest"))!.timestamp;
  await rpc("evm_setNextBlockTimestamp", [now + 30 * 86400]);
  await send(core.connect(riskS).setRateModel(id, ZERO_RATE));
  for (const t of tokens) await send(t.feed.updateAnswer((await t.feed.latestRoundData())[1]));
  // Attacker 1 keeps a cooled dust stake (finding 2's set-up); staker 2 is on its way out.
  await send(fund.connect(all[ROLE.attacker1]!).deposit(U, accounts[ROLE.attacker1]!));
  const cooled = new Map<number, { start: bigint; shares: bigint }>();
  for (const who of [ROLE.attacker1, ROLE.staker2]) {
    const shares = await fund.balanceOf(accounts[who]!);
    const data = cooldownData(fund, shares);
    const r = await (await all[who]!.sendTransaction({ to: fundAddr, data })).wait();
    const start = BigInt((await ethers.provider.getBlock(r!.blockNumber))!.timestamp);
    cooled.set(who, { start, shares });
  }
  const probe = await new EconomicsProbe__factory(deployer).deploy();
  await probe.waitForDeployment();
  return {
    core,
    fund,
    probe,
    tokens,
    id,
    coreAddr,
    fundAddr,
    tokenAddrs: await Promise.all(tokens.map((t) => t.token.getAddress())),
    feedAddrs: await Promise.all(tokens.map((t) => t.feed.getAddress())),
    probeAddr: await probe.getAddress(),
    accounts,
    A: ROLE,
    borrowers: [7, 8, 9, 10],
    risk,
    admin,
    cooled,
  };
}
