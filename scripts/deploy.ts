/**
 * Deploys Ballast to the selected network: `npx hardhat run scripts/deploy.ts --network <name>`
 * (`npm run deploy:local` for a node at LOCALHOST_RPC_URL, default http://127.0.0.1:8545).
 * Validates the network's config before anything is sent, writes deployments/<network>.json, and on a local
 * network seeds test accounts and positions when BALLAST_SEED=1 (as `npm run node` does).
 * Public networks read SEPOLIA_RPC_URL / MAINNET_RPC_URL and DEPLOYER_PRIVATE_KEY from the environment.
 * It refuses to deploy over a deployments/<network>.json whose core is live (a second protocol) unless `--fresh`
 * (`npm run deploy:local -- --fresh`) or BALLAST_FRESH=1 (with `hardhat run`, which does not forward argv).
 */
import hre from "hardhat";
import { ConfigValidationError } from "../deploy/config";
import { DeployEnvError } from "./lib/deploy-env";
import { deployBallast, describeDeployment } from "./lib/deploy-ballast";
import { seedLocal, describeSeed } from "./lib/deploy-seed";

async function main(): Promise<void> {
  const fresh = process.argv.includes("--fresh") || process.env.BALLAST_FRESH === "1";
  const { record, file, warnings, config } = await deployBallast(hre, { displayUi: !quiet(), fresh });
  for (const w of warnings) console.warn(`warning: ${w}`);
  console.log(describeDeployment(record));
  if (file) console.log(`Addresses written to ${file}`);
  if (config.local && process.env.BALLAST_SEED === "1") {
    const seed = await seedLocal(hre, record);
    console.log(describeSeed(seed));
  }
  if (!config.local) {
    console.log(
      `Verify the sources with: npx hardhat ignition verify ballast-${record.network} --network ${record.network}`,
    );
  }
}

function quiet(): boolean {
  return process.env.BALLAST_QUIET === "1";
}

main().catch((e: unknown) => {
  if (e instanceof DeployEnvError || e instanceof ConfigValidationError) {
    // A clear message, not a stack trace: nothing was sent.
    console.error(e.message);
  } else {
    console.error(oneLine(e) ?? e);
  }
  process.exitCode = 1;
});

/** Hardhat's own errors a user causes, as one line naming the variable; undefined for anything else. */
function oneLine(e: unknown): string | undefined {
  const err = e as { number?: number; message?: string; code?: string; cause?: { code?: string } };
  const variable = RPC_VARIABLE[hre.network.name] ?? "the network's url";
  const unreachable = err.number === 108 || ["ECONNREFUSED", "ENOTFOUND"].includes(err.code ?? err.cause?.code ?? "");
  if (unreachable) {
    return `Cannot reach the ${hre.network.name} RPC at ${String((hre.network.config as { url?: string }).url)} (${variable}): is it running, and is ${variable} right? Nothing was sent.`;
  }
  if (err.number === 8)
    return `Invalid Hardhat network config (check DEPLOYER_PRIVATE_KEY and ${variable}): ${err.message?.split("\n")[0]}`;
  return undefined;
}

const RPC_VARIABLE: Record<string, string> = {
  localhost: "LOCALHOST_RPC_URL",
  sepolia: "SEPOLIA_RPC_URL",
  mainnet: "MAINNET_RPC_URL",
};
