/**
 * The same first read with viem and no ethers: the ABIs `as const` from `@ballast/protocol/abis` (fully typed reads
 * and revert decoding with the core's ABI alone) and the deployment from `@ballast/protocol/deployments`.
 * RPC_URL and DEPLOYMENTS_DIR as in index.ts. An ES module, as viem is. Prints one JSON line (the package test parses it).
 */
import { BaseError, ContractFunctionRevertedError, createPublicClient, http, type Address } from "viem";
import { ballastCoreAbi, ballastLensAbi } from "@ballast/protocol/abis";
import { getDeployment } from "@ballast/protocol/deployments";

async function main(): Promise<void> {
  const client = createPublicClient({ transport: http(process.env.RPC_URL ?? "http://127.0.0.1:8545") });
  const chainId = await client.getChainId();
  const dir = process.env.DEPLOYMENTS_DIR;
  const d = getDeployment(chainId, dir ? { dir } : {});
  const core = d.contracts.BallastCore as Address;
  const lens = d.contracts.BallastLens as Address;

  const marketCount: bigint = await client.readContract({
    address: core,
    abi: ballastCoreAbi,
    functionName: "marketCount",
  });
  const market = await client.readContract({ address: lens, abi: ballastLensAbi, functionName: "market", args: [1n] });

  // A revert decoded with the core's ABI alone: borrowing without collateral.
  const someone: Address = "0x000000000000000000000000000000000000bEEF";
  let revert: { name?: string; args?: readonly unknown[] } = {};
  try {
    await client.simulateContract({
      address: core,
      abi: ballastCoreAbi,
      functionName: "borrow",
      args: [1n, 100n * 10n ** 6n, 0n, someone, someone],
      account: someone,
    });
  } catch (e) {
    const r = e instanceof BaseError ? e.walk((x) => x instanceof ContractFunctionRevertedError) : undefined;
    if (r instanceof ContractFunctionRevertedError) revert = { name: r.data?.errorName, args: r.data?.args };
  }

  console.log(
    JSON.stringify({
      chainId: String(chainId),
      marketCount: marketCount.toString(),
      loanToken: market.loanToken,
      totalSupplyAssets: market.totalSupplyAssets.toString(),
      revert: revert.name ?? null,
      revertBorrower: revert.args?.[1] ?? null,
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
