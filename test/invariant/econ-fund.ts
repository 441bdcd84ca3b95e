/** The insurance-fund calls of the economic fuzzer, by ABI fragment (the cooldown call depends on the fund's version). */
import { ethers } from "ethers";
import type { InsuranceFund } from "../../typechain-types";

export const FUND = new ethers.Interface([
  "function deposit(uint256 assets, address receiver) returns (uint256)",
  "function redeem(uint256 shares, address receiver, address owner) returns (uint256)",
  "function transfer(address to, uint256 value) returns (bool)",
  "function startCooldown()",
  "function cooldown(uint256 shares)",
]);

/** The fund's cooldown call: `cooldown(shares)` where the fund cools an amount, else `startCooldown()`. */
export function cooldownData(fund: InsuranceFund, shares: bigint): string {
  const perAmount = (fund.interface as unknown as ethers.Interface).getFunction("cooldown(uint256)");
  return perAmount ? FUND.encodeFunctionData("cooldown", [shares]) : FUND.encodeFunctionData("startCooldown", []);
}
