/** The deployment configuration of each network Ballast knows. */
import type { NetworkDeployConfig } from "./types";
import hardhat from "./hardhat";
import localhost from "./localhost";
import sepolia from "./sepolia";
import mainnet from "./mainnet";
import { governanceFromEnv } from "./env";

export * from "./types";
export { validateConfig, validateConfigOnChain, ConfigValidationError } from "./validate";

const CONFIGS: Record<string, () => NetworkDeployConfig> = {
  hardhat: () => hardhat,
  localhost: () => localhost,
  // Public networks re-read their governance environment variables at each call.
  sepolia: () => ({ ...sepolia, governance: governanceFromEnv(sepolia.governance.timelockMinDelay) }),
  mainnet: () => ({ ...mainnet, governance: governanceFromEnv(mainnet.governance.timelockMinDelay) }),
};

/** The config of `network`; an unknown network gets a clear message listing the known ones. */
export function configFor(network: string): NetworkDeployConfig {
  const get = CONFIGS[network];
  if (!get) {
    throw new Error(
      `No Ballast deploy config for network "${network}": known networks are ${Object.keys(CONFIGS).join(", ")} ` +
        `(add deploy/config/${network}.ts and register it in deploy/config/index.ts)`,
    );
  }
  return get();
}

/**
 * The config to deploy on `network` serving `chainId`. A local node started with another chain id (a fork
 * rehearsal: `npm run node -- --fork $MAINNET_RPC_URL --chain-id 1`, or BALLAST_CHAIN_ID) gets the config of the
 * public network with that chain id, so the mainnet config is what the rehearsal deploys.
 */
export function configForChain(network: string, chainId: number): NetworkDeployConfig {
  const own = configFor(network);
  if (!["localhost", "hardhat"].includes(network) || chainId === own.chainId) return own;
  const match = ["mainnet", "sepolia"].map(configFor).find((c) => c.chainId === chainId);
  if (!match) {
    throw new Error(
      `No Ballast deploy config for chain ${chainId} on ${network}: the local node serves chain ${chainId}, and ` +
        `only ${own.chainId} (local), 1 (mainnet) and 11155111 (sepolia) have one`,
    );
  }
  return match;
}
