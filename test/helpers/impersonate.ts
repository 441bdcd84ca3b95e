/**
 * A signer for a contract's address (impersonated, with gas money): lets a test call what only that contract may,
 * e.g. the core's fund-only `claimPremium` / `storeFund` as the market's insurance fund.
 */
import { ethers } from "hardhat";
import { impersonateAccount, setBalance } from "@nomicfoundation/hardhat-network-helpers";

export async function impersonate(address: string) {
  await impersonateAccount(address);
  await setBalance(address, 10n ** 18n);
  return ethers.getSigner(address);
}
