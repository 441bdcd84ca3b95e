/**
 * The world, part 2: the people. Suppliers (one base supplier with 40% of the supply, three leavers and three
 * stayers with 10% each, for a stated target utilization), the insurance staker, and the borrowers, opened in
 * batches through the ScenarioBorrowers factory.
 */
import { ethers } from "hardhat";
import type { Signer } from "ethers";
import { ScenarioBorrowers__factory, type BallastCore, type InsuranceFund } from "../../typechain-types";
import type { RunParams } from "../episodes";
import type { SimAsset, SimContext, SupplierResult } from "../types";
import type { Population } from "./population";

const ROLES: SupplierResult["role"][] = ["base", "leaver", "leaver", "leaver", "stayer", "stayer", "stayer"];

/** Supplies the market so that the planned debt is `utilization` of it; returns the suppliers and the total. */
export async function seedSuppliers(
  core: BallastCore,
  id: bigint,
  loan: SimAsset,
  signers: Signer[],
  borrowTotal: bigint,
  params: RunParams,
): Promise<{ suppliers: SimContext["suppliers"]; supplyTotal: bigint }> {
  const supplyTotal = (borrowTotal * 10000n) / BigInt(Math.round((params.utilization ?? 0.75) * 10000));
  const coreAddr = await core.getAddress();
  const suppliers: SimContext["suppliers"] = [];
  for (let i = 0; i < ROLES.length; i++) {
    const s = signers[i]!;
    const who = await s.getAddress();
    const amount = ROLES[i] === "base" ? (supplyTotal * 40n) / 100n : (supplyTotal * 10n) / 100n;
    await (await loan.token.mint(who, amount)).wait();
    await (await loan.token.connect(s).approve(coreAddr, ethers.MaxUint256)).wait();
    await (await core.connect(s).supply(id, amount, 0, who)).wait();
    suppliers.push({ signer: s, role: ROLES[i]!, deposited: amount });
  }
  return { suppliers, supplyTotal };
}

/** Stakes `insuranceShare` of the supply in the fund. */
export async function seedInsurance(
  fund: InsuranceFund,
  loan: SimAsset,
  staker: Signer,
  supplyTotal: bigint,
  params: RunParams,
): Promise<bigint> {
  const stake = (BigInt(Math.round((params.insuranceShare ?? 0.03) * 1e6)) * supplyTotal) / 1000000n;
  const who = await staker.getAddress();
  await (await loan.token.mint(who, stake)).wait();
  await (await loan.token.connect(staker).approve(await fund.getAddress(), ethers.MaxUint256)).wait();
  if (stake > 0n) await (await fund.connect(staker).deposit(stake, who)).wait();
  return stake;
}

/** Opens every planned borrower (30 per transaction); returns their addresses in order. */
export async function seedBorrowers(
  deployer: Signer,
  core: BallastCore,
  id: bigint,
  collaterals: SimAsset[],
  pop: Population,
): Promise<string[]> {
  const factory = await new ScenarioBorrowers__factory(deployer).deploy();
  await factory.waitForDeployment();
  const factoryAddr = await factory.getAddress();
  const me = await deployer.getAddress();
  for (let i = 0; i < collaterals.length; i++) {
    const c = collaterals[i]!;
    await (await c.token.mint(me, pop.colTotals[i]!)).wait();
    await (await c.token.approve(factoryAddr, ethers.MaxUint256)).wait();
  }
  const coreAddr = await core.getAddress();
  const colAddrs = await Promise.all(collaterals.map((c) => c.token.getAddress()));
  const borrowers: string[] = [];
  const BATCH = 30;
  for (let k = 0; k < pop.seeds.length; k += BATCH) {
    const batch = pop.seeds.slice(k, k + BATCH);
    const got = await factory.seed.staticCall(coreAddr, id, colAddrs, batch, { gasLimit: 16_000_000n });
    await (await factory.seed(coreAddr, id, colAddrs, batch, { gasLimit: 16_000_000n })).wait();
    borrowers.push(...got);
  }
  return borrowers;
}
