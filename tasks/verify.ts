/**
 * `npm run verify -- --network sepolia` (the `ballast:verify` task): Etherscan verification of every contract of an
 * Ignition deployment, like `npx hardhat ignition verify`, but each contract's outcome is one line with the
 * explorer's own reason ("Invalid API Key", "Unable to locate ContractCode", a connection error...), where Ignition
 * prints only "Verification failed". It goes on after a failure and exits 1 if any contract failed.
 */
import path from "node:path";
import fs from "node:fs";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { getVerificationInformation } from "@nomicfoundation/ignition-core";
import { Etherscan } from "@nomicfoundation/hardhat-verify/etherscan";
import { readLines } from "../scripts/lib/deploy-journal";

export interface VerifyArgs {
  deploymentId?: string;
  includeUnrelatedContracts: boolean;
  /** An Etherscan-compatible API for the deployment's chain (e.g. a block explorer of a chain Hardhat lacks). */
  apiUrl?: string;
}

/** The cause of a failure, from the error and its causes, as one line. */
function cause(e: unknown): string {
  const parts: string[] = [];
  let cur = e as { message?: string; cause?: unknown } | undefined;
  for (let i = 0; cur && i < 4; i++, cur = cur.cause as typeof cur) {
    const m = (cur.message ?? String(cur)).split("\n")[0]!.trim();
    if (m && !parts.includes(m)) parts.push(m);
  }
  return parts.join(": ") || String(e);
}

async function verifyOne(explorer: Etherscan, info: Parameters<typeof explorerVerify>[1]): Promise<string> {
  try {
    return await explorerVerify(explorer, info);
  } catch (e) {
    return `FAILED ${cause(e)}`;
  }
}

async function explorerVerify(
  explorer: Etherscan,
  info: { address: string; compilerVersion: string; sourceCode: string; name: string; args: string },
): Promise<string> {
  if (await explorer.isVerified(info.address)) return `already verified ${explorer.getContractUrl(info.address)}`;
  const { message: guid } = await explorer.verify(
    info.address,
    info.sourceCode,
    info.name,
    info.compilerVersion,
    info.args,
  );
  const status = await explorer.getVerificationStatus(guid);
  if (status.isSuccess()) return `verified ${explorer.getContractUrl(info.address)}`;
  if (/already verified/i.test(status.message)) return `already verified ${explorer.getContractUrl(info.address)}`;
  return `FAILED ${status.message}`;
}

/** Verifies every contract of the deployment; returns the report and whether every contract is verified. */
export async function verifyDeployment(hre: HardhatRuntimeEnvironment, args: VerifyArgs): Promise<[string, boolean]> {
  const id = args.deploymentId ?? `ballast-${hre.network.name}`;
  const dir = path.join(hre.config.paths.ignition, "deployments", id);
  if (!fs.existsSync(path.join(dir, "journal.jsonl"))) {
    throw new Error(`no Ignition deployment ${id} (${path.relative(process.cwd(), dir)}): pass --deployment-id`);
  }
  const apiKey = typeof hre.config.etherscan.apiKey === "string" ? hre.config.etherscan.apiKey : "";
  if (!apiKey) throw new Error("ETHERSCAN_API_KEY is not set: the Etherscan API key verification needs");
  const chainId = (JSON.parse(readLines(dir)[0]!) as { chainId: number }).chainId;
  const custom = args.apiUrl
    ? [{ network: hre.network.name, chainId, urls: { apiURL: args.apiUrl, browserURL: args.apiUrl } }]
    : hre.config.etherscan.customChains;
  const lines: string[] = [];
  let ok = true;
  for await (const [chain, info] of getVerificationInformation(dir, custom, args.includeUnrelatedContracts)) {
    if (chain === null) {
      lines.push(`${info}: skipped (no build info: deployed from a published artifact, as Ignition also skips it)`);
      continue;
    }
    // An explicit --api-url is called as given (Etherscan's v2 API otherwise picks the chain by id).
    const v2ChainId = args.apiUrl ? undefined : chain.chainId;
    const explorer = new Etherscan(apiKey, chain.urls.apiURL, chain.urls.browserURL, v2ChainId);
    const outcome = await verifyOne(explorer, info);
    if (outcome.startsWith("FAILED")) ok = false;
    lines.push(`${info.name.split(":").pop()} ${info.address}: ${outcome}`);
  }
  if (!ok && !args.includeUnrelatedContracts) {
    lines.push("Some failed: if the reason is about sources, try again with --include-unrelated-contracts");
  }
  return [lines.join("\n"), ok];
}
