/**
 * Hardhat's own errors about a network a person configured (HH108: cannot connect, HH117: empty URL, HH8: invalid
 * config, a malformed URL, an unknown host) as one line naming the environment variable to fix. Used by the deploy
 * script, the `ballast:*` tasks and `npm run verify`.
 */

/** The environment variable behind each network's RPC URL. */
export const RPC_VARIABLE: Record<string, string> = {
  localhost: "LOCALHOST_RPC_URL",
  sepolia: "SEPOLIA_RPC_URL",
  mainnet: "MAINNET_RPC_URL",
};

interface HardhatishError {
  number?: number;
  message?: string;
  code?: string;
  cause?: { code?: string; message?: string };
}

const UNREACHABLE = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET", "ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT"];

/** One line for a network error `e` on `network` (whose URL is `url`); undefined when `e` is something else. */
export function networkProblem(network: string, url: string | undefined, e: unknown): string | undefined {
  const err = (e ?? {}) as HardhatishError;
  const variable = RPC_VARIABLE[network] ?? `the url of networks.${network} in hardhat.config.ts`;
  const code = err.code ?? err.cause?.code ?? /\b(E[A-Z_]{4,})\b/.exec(err.message ?? "")?.[1] ?? "";
  if (err.number === 117 || (network in RPC_VARIABLE && url === "")) {
    return `${variable} is not set: the RPC URL of ${network} (e.g. ${variable}=https://...)`;
  }
  if (err.number === 108 || UNREACHABLE.includes(code)) {
    return (
      `Cannot reach the ${network} RPC at ${url} (${variable}${code ? `: ${code}` : ""}): is the node running, ` +
      `and is ${variable} right?`
    );
  }
  if (err.message === "Invalid URL" || err.code === "ERR_INVALID_URL") {
    return `${variable} is not a URL (${JSON.stringify(url)}): an http(s) RPC URL is expected`;
  }
  if (err.number === 8) {
    return `Invalid Hardhat network config (check DEPLOYER_PRIVATE_KEY and ${variable}): ${err.message?.split("\n")[0]}`;
  }
  return undefined;
}
