/**
 * Deploys Ballast to the selected network: `npx hardhat run scripts/deploy.ts --network <name>`
 * (`npm run deploy:local` for a node at LOCALHOST_RPC_URL, default http://127.0.0.1:8545).
 * Validates the network's config before anything is sent, writes deployments/<network>.json, and on a local
 * network seeds test accounts and positions when BALLAST_SEED=1 (as `npm run node` does).
 * Public networks read SEPOLIA_RPC_URL / MAINNET_RPC_URL and DEPLOYER_PRIVATE_KEY from the environment.
 */
import hre from "hardhat";
import { ConfigValidationError } from "../deploy/config";
import { DeployEnvError } from "./lib/deploy-env";
import { deployBallast, describeDeployment } from "./lib/deploy-ballast";
import { seedLocal, describeSeed } from "./lib/deploy-seed";
import { seedUniswapLocal, describeVenue } from "./lib/deploy-uniswap-local";

async function main(): Promise<void> {
  const { record, file, warnings, config } = await deployBallast(hre, { displayUi: !quiet() });
  for (const w of warnings) console.warn(`warning: ${w}`);
  console.log(describeDeployment(record));
  if (file) console.log(`Addresses written to ${file}`);
  if (config.local && process.env.BALLAST_SEED === "1") {
    const seed = await seedLocal(hre, record);
    console.log(describeSeed(seed));
    const venue = await seedUniswapLocal(hre, record, config);
    if (venue) console.log(describeVenue(venue));
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
    console.error(e);
  }
  process.exitCode = 1;
});
