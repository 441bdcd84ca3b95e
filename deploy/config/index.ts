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
