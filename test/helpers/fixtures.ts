/**
 * Shared named fixtures: each builds on the previous one (use with loadFixture).
 */
import { ethers } from "hardhat";
import {
  deployCore,
  deployPricedToken,
  createMarket,
  deployInsuranceFund,
  wad,
  PricedToken,
} from "../../scripts/lib/protocol";

export const RISK_ROLE = ethers.id("BALLAST_RISK_ROLE");
export const GUARDIAN_ROLE = ethers.id("BALLAST_GUARDIAN_ROLE");

/** Core, a 6-decimal USDC-like loan asset, an 18-decimal WETH-like and an 8-decimal WBTC-like collateral,
 * one market (id 1) with both collaterals and an insurance fund. Deployer holds admin, risk and guardian roles. */
export async function deployMarketFixture() {
  const [deployer, alice, bob, carol, dave, eve, frank] = await ethers.getSigners();
  const { core } = await deployCore(deployer!);
  await core.grantRole(RISK_ROLE, deployer!.address);
  await core.grantRole(GUARDIAN_ROLE, deployer!.address);
  const usdc: PricedToken = await deployPricedToken(deployer!, {
    symbol: "USDC",
    decimals: 6,
    price: "1",
    heartbeat: 86400,
  });
  const weth: PricedToken = await deployPricedToken(deployer!, { symbol: "WETH", decimals: 18, price: "2000" });
  const wbtc: PricedToken = await deployPricedToken(deployer!, { symbol: "WBTC", decimals: 8, price: "60000" });
  const id = await createMarket(core, {
    loan: usdc,
    collaterals: [
      { asset: weth, ltv: wad("0.8"), liquidationThreshold: wad("0.85"), liquidationBonus: wad("0.05") },
      { asset: wbtc, ltv: wad("0.75"), liquidationThreshold: wad("0.8"), liquidationBonus: wad("0.07") },
    ],
    minBorrow: 10n * 10n ** 6n,
    minLeftover: 10n * 10n ** 6n,
  });
  const fund = await deployInsuranceFund(deployer!, core, id, await usdc.token.getAddress());
  const coreAddr = await core.getAddress();
  for (const s of [alice, bob, carol, dave, eve, frank]) {
    for (const t of [usdc, weth, wbtc]) {
      await t.token.mint(s!.address, 10n ** 30n);
      await t.token.connect(s!).approve(coreAddr, ethers.MaxUint256);
    }
    await usdc.token.connect(s!).approve(await fund.getAddress(), ethers.MaxUint256);
  }
  return {
    core,
    usdc,
    weth,
    wbtc,
    id,
    fund,
    deployer: deployer!,
    alice: alice!,
    bob: bob!,
    carol: carol!,
    dave: dave!,
    eve: eve!,
    frank: frank!,
  };
}
