/**
 * ABIs from the Hardhat artifacts (run `npx hardhat compile` first): the core's interface (every event and
 * error) and the insurance fund (ERC-4626 stakes, cooldowns, draws). Read at start, so a contract change needs no
 * copy here.
 */
import fs from "node:fs";
import path from "node:path";
import type { Abi } from "viem";

function artifact(rel: string): Abi {
  const file = path.resolve(process.cwd(), "../artifacts/contracts", rel);
  if (!fs.existsSync(file)) throw new Error(`missing ${file}: run \`npx hardhat compile\` in the repository root`);
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { abi: Abi }).abi;
}

export const coreAbi = artifact("interfaces/IBallastCore.sol/IBallastCore.json");
export const fundAbi = artifact("insurance/InsuranceFund.sol/InsuranceFund.json");

/** Names of the events in an ABI. */
export function eventNames(abi: Abi): string[] {
  return abi.filter((x) => x.type === "event").map((x) => (x as { name: string }).name);
}
