/**
 * Deploys Ballast to the selected network: `npx hardhat run scripts/deploy.ts --network <name>`
 * (`npm run deploy:local` for a node at LOCALHOST_RPC_URL, default http://127.0.0.1:8545).
 * Validates the network's config before anything is sent, writes deployments/<network>.json, and on a local
 * network seeds test accounts and positions when BALLAST_SEED=1 (as `npm run node` does).
 * Public networks read SEPOLIA_RPC_URL / MAINNET_RPC_URL and DEPLOYER_PRIVATE_KEY from the environment.
 * It refuses to deploy over a deployments/<network>.json whose core is live (a second protocol) unless `--fresh`
 * (`npm run deploy:local -- --fresh`) or BALLAST_FRESH=1 (with `hardhat run`, which does not forward argv).
 * Before sending anything it measures the whole deployment's gas by a dry run on an in-process chain (a fork of the
 * network when the config uses existing tokens and feeds) and refuses a deployer that cannot pay it at the
 * network's fee (BALLAST_FUNDS_CHECK=0 skips this). A local node's Ignition journal is wiped before each deploy
 * unless BALLAST_RESUME=1; public networks always resume theirs. On a local node serving chain 1 or 11155111 (a
 * fork rehearsal, `npm run node -- --chain-id 1`) it deploys the mainnet or Sepolia config.
 */
import hre from "hardhat";
import { ConfigValidationError } from "../deploy/config";
import { DeployEnvError } from "./lib/deploy-env";
import { networkProblem } from "./lib/network-errors";
import { deployBallast, describeDeployment } from "./lib/deploy-ballast";
import { seedLocal, describeSeed } from "./lib/deploy-seed";
import { seedUniswapLocal, describeVenue, withVenue } from "./lib/deploy-uniswap-local";
import { writeDeployment } from "./lib/deploy-output";
import path from "node:path";

async function main(): Promise<void> {
  const fresh = process.argv.includes("--fresh") || process.env.BALLAST_FRESH === "1";
  const { record, file, warnings, config } = await deployBallast(hre, {
    displayUi: !quiet(),
    fresh,
    resume: process.env.BALLAST_RESUME === "1",
    fundsCheck: process.env.BALLAST_FUNDS_CHECK === "0" ? false : undefined,
  });
  for (const w of warnings) console.warn(`warning: ${w}`);
  if (config.network !== record.network) {
    console.log(`Deployed the ${config.network} config (deploy/config/${config.network}.ts): chain ${record.chainId}`);
  }
  console.log(describeDeployment(record));
  if (file) console.log(`Addresses written to ${file}`);
  if (config.local && process.env.BALLAST_SEED === "1") {
    const seed = await seedLocal(hre, record);
    console.log(describeSeed(seed));
    const venue = await seedUniswapLocal(hre, record, config);
    if (venue) {
      console.log(describeVenue(venue));
      if (file) writeDeployment(withVenue(record, venue, config), path.dirname(file));
    }
  }
  if (!config.local && record.network !== "localhost") {
    console.log(
      `Verify the sources with: npm run verify -- --network ${record.network} (the cause of any failure is printed)`,
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
  const line = networkProblem(hre.network.name, (hre.network.config as { url?: string }).url, e);
  return line && `${line} Nothing was sent.`;
}
