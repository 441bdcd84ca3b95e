/**
 * Environment checks of a deployment, run before anything else: a missing variable is a clear message, never a
 * stack trace. Nothing secret is ever committed: RPC URLs and the deployer key come from the environment only.
 */

export class DeployEnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeployEnvError";
  }
}

/** Environment variables each public network needs, with what they are. */
export const NETWORK_ENV: Record<string, { name: string; what: string }[]> = {
  sepolia: [
    { name: "SEPOLIA_RPC_URL", what: "the HTTPS RPC URL of a Sepolia node (Infura, Alchemy, your own)" },
    { name: "DEPLOYER_PRIVATE_KEY", what: "the deployer account's private key, 0x + 64 hex digits" },
  ],
  mainnet: [
    { name: "MAINNET_RPC_URL", what: "the HTTPS RPC URL of an Ethereum mainnet node" },
    { name: "DEPLOYER_PRIVATE_KEY", what: "the deployer account's private key, 0x + 64 hex digits" },
  ],
};

/**
 * Checks the environment `network` needs; throws DeployEnvError naming each missing or malformed variable.
 * @returns Warnings that do not block (e.g. no ETHERSCAN_API_KEY: contracts will not be verified).
 */
export function checkNetworkEnv(network: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const needed = NETWORK_ENV[network];
  if (!needed) return [];
  const problems: string[] = [];
  for (const v of needed) {
    const value = env[v.name];
    if (!value || value.trim() === "") problems.push(`${v.name} is not set: ${v.what}`);
    else if (v.name === "DEPLOYER_PRIVATE_KEY" && !/^(0x)?[0-9a-fA-F]{64}$/.test(value.trim())) {
      problems.push(`${v.name} is malformed: ${v.what}`);
    } else if (v.name.endsWith("_RPC_URL") && !/^(https?|wss?):\/\//.test(value.trim())) {
      problems.push(`${v.name} must be an http(s) or ws(s) URL`);
    }
  }
  if (problems.length > 0) {
    throw new DeployEnvError(
      `Cannot deploy to ${network} (nothing was sent):\n  - ${problems.join("\n  - ")}\n` +
        `Set them in your shell, e.g. ${needed.map((v) => `${v.name}=...`).join(" ")} ` +
        `npx hardhat run scripts/deploy.ts --network ${network}`,
    );
  }
  return env.ETHERSCAN_API_KEY ? [] : ["ETHERSCAN_API_KEY is not set: the contracts will not be verifiable"];
}
