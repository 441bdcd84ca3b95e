/**
 * The keeper's settings, resolved and checked before the first tick. Every problem is a KeeperConfigError with one
 * line naming the setting (the CLI prints it and exits 1): no network, an unknown network or market, an unreachable
 * RPC (naming the variable it came from), a deployment whose core has no code, a malformed address or key.
 */
import fs from "node:fs";
import path from "node:path";
import { Contract, JsonRpcProvider, Wallet, VoidSigner, ZeroAddress, getAddress, isAddress, type Signer } from "ethers";
import type { Deployment } from "../deployments/types";
import { deploymentsDir } from "../scripts/lib/deploy-output";
import type { KeeperMode, QuoteFn } from "./strategy";
import { venueQuote } from "./venue";

export class KeeperConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeeperConfigError";
  }
}

/** The options as the CLI parsed them (strings where the user typed them). */
export interface KeeperCliOptions {
  network?: string;
  rpc?: string;
  deployment?: string;
  market?: bigint[];
  mode: KeeperMode;
  dryRun: boolean;
  once: boolean;
  minProfit: bigint;
  gasCost: bigint;
  gasPriceCap?: bigint;
  metricsPort?: number;
  interval: number;
  liquidator?: string;
  swapper?: string;
  swapFee: bigint;
  flag: boolean;
  startBlock?: number;
  logLevel: string;
  /** Flash mode's profit check: the network's Uniswap pool (QuoterV2) or the oracle less --swap-fee. */
  quote?: "uniswap" | "oracle";
}

/** Everything the service needs, checked. */
export interface KeeperConfig extends Omit<KeeperCliOptions, "deployment"> {
  url: string;
  chainId: number;
  provider: JsonRpcProvider;
  deployment: Deployment;
  deploymentFile: string;
  markets: bigint[];
  signer: Signer;
  startBlock: number;
  /** Flash mode priced at the venue: its quote and where it comes from (undefined: the oracle less --swap-fee). */
  venue?: { quote: QuoteFn; quoter: string };
}

/** Networks the keeper knows, with the variable holding their RPC URL (and its default). */
export const NETWORK_RPC: Record<string, { variable: string; fallback?: string }> = {
  localhost: { variable: "LOCALHOST_RPC_URL", fallback: "http://127.0.0.1:8545" },
  sepolia: { variable: "SEPOLIA_RPC_URL" },
  mainnet: { variable: "MAINNET_RPC_URL" },
};

const fail = (message: string): never => {
  throw new KeeperConfigError(message);
};

/** The RPC URL and where it came from (`--rpc` or the network's variable). */
export function rpcFor(opts: Pick<KeeperCliOptions, "network" | "rpc">, env: NodeJS.ProcessEnv): [string, string] {
  if (!opts.network && !opts.rpc) {
    fail(
      "no --network or --rpc: without one the keeper would watch Hardhat's in-process chain, which is empty; " +
        "run `npm run keeper -- --network localhost` (with `npm run node` running), --network sepolia, or --rpc URL",
    );
  }
  if (opts.network === "hardhat") {
    fail("--network hardhat is the in-process chain, empty when the keeper starts: use --network localhost or --rpc");
  }
  if (opts.rpc) return [opts.rpc, "--rpc"];
  const net = NETWORK_RPC[opts.network!];
  if (!net) {
    fail(`unknown --network ${opts.network}: use ${Object.keys(NETWORK_RPC).join(", ")}, or give --rpc URL`);
  }
  const url = env[net!.variable]?.trim() || net!.fallback;
  if (!url) fail(`${net!.variable} is not set: the RPC URL of ${opts.network} (or give --rpc URL)`);
  return [url!, net!.variable];
}

/** The chain id at `url`; a KeeperConfigError naming `source` when nothing answers within `timeoutMs`. */
export async function probeRpc(url: string, source: string, timeoutMs = 5_000): Promise<number> {
  if (!/^https?:\/\//.test(url)) fail(`${source} ${url} is not an http(s) URL`);
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await res.json()) as { result?: string };
    if (!body.result) throw new Error(`HTTP ${res.status}, no chain id`);
    return Number(body.result);
  } catch (e) {
    const err = e as { cause?: { code?: string }; message?: string };
    return fail(`cannot reach the RPC at ${url} (${source}): ${err.cause?.code ?? err.message ?? String(e)}`);
  }
}

/** The deployment to watch: --deployment, else deployments/<network>.json, else the one file of `chainId`. */
export function findDeployment(
  opts: Pick<KeeperCliOptions, "network" | "deployment">,
  chainId: number,
  dir: string,
): [Deployment, string] {
  const read = (file: string): Deployment => {
    try {
      return JSON.parse(fs.readFileSync(file, "utf8")) as Deployment;
    } catch (e) {
      return fail(`cannot read the deployment ${file}: ${(e as Error).message}`);
    }
  };
  let file = opts.deployment ?? (opts.network ? path.join(dir, `${opts.network}.json`) : undefined);
  if (!file) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "book.json") : [];
    file = files.map((f) => path.join(dir, f)).find((f) => read(f).chainId === chainId);
    if (!file) fail(`no deployments/*.json for chain ${chainId}: pass --deployment FILE or --network NAME`);
  }
  if (!fs.existsSync(file!)) {
    fail(
      `no deployment ${path.relative(process.cwd(), file!)}` +
        (opts.network === "localhost" ? ": start one with `npm run node` (or `npm run deploy:local`)" : ""),
    );
  }
  const d = read(file!);
  if (d.chainId !== chainId)
    fail(`${path.relative(process.cwd(), file!)} is for chain ${d.chainId}, the RPC is chain ${chainId}`);
  if (!d.contracts?.BallastCore || !isAddress(d.contracts.BallastCore)) fail(`${file} has no BallastCore address`);
  return [d, file!];
}

/** An optional address option: checksummed, or a one-line error naming the option. */
export function addressOption(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isAddress(value)) fail(`${name} ${value} is not an address (0x + 40 hex digits)`);
  return getAddress(value);
}

/**
 * The keeper's account: KEEPER_PRIVATE_KEY; else on a local chain (31337) the node's first unlocked account; else a
 * read-only account in --dry-run. A malformed key is an error naming the variable, never echoing it.
 */
export async function keeperSigner(
  provider: JsonRpcProvider,
  chainId: number,
  dryRun: boolean,
  env: NodeJS.ProcessEnv,
): Promise<Signer> {
  const key = env.KEEPER_PRIVATE_KEY?.trim();
  if (key) {
    if (!/^(0x)?[0-9a-fA-F]{64}$/.test(key)) fail("KEEPER_PRIVATE_KEY is malformed: 0x + 64 hex digits expected");
    return new Wallet(key.startsWith("0x") ? key : `0x${key}`, provider);
  }
  if (chainId === 31337) {
    const accounts = (await provider.send("eth_accounts", [])) as string[];
    if (accounts[0]) return provider.getSigner(accounts[0]);
  }
  if (dryRun) return new VoidSigner(ZeroAddress, provider);
  return fail("KEEPER_PRIVATE_KEY is not set: the account that sends flags and liquidations (or use --dry-run)");
}

/** Resolves and checks every setting: RPC reachable, deployment live, markets known, addresses and key well formed. */
export async function resolveConfig(
  opts: KeeperCliOptions,
  env: NodeJS.ProcessEnv = process.env,
  root: string = process.cwd(),
): Promise<KeeperConfig> {
  const [url, source] = rpcFor(opts, env);
  const chainId = await probeRpc(url, source);
  const [deployment, deploymentFile] = findDeployment(
    opts,
    chainId,
    env.BALLAST_DEPLOYMENTS_DIR ?? deploymentsDir(root),
  );
  const rel = path.relative(process.cwd(), deploymentFile);
  const provider = new JsonRpcProvider(url, chainId, { staticNetwork: true });
  const core = deployment.contracts.BallastCore!;
  if ((await provider.getCode(core)) === "0x") {
    provider.destroy();
    fail(`no BallastCore at ${core} on chain ${chainId} (${rel}): was the node restarted? Deploy again first`);
  }
  const count = Number(await new Contract(core, MARKET_COUNT, provider).getFunction("marketCount")());
  const all = Array.from({ length: count }, (_, i) => BigInt(i + 1));
  const markets = opts.market ?? all;
  for (const m of markets) {
    if (m < 1n || m > BigInt(count)) fail(`unknown --market ${m}: ${rel} has markets ${all.join(", ") || "none"}`);
  }
  const liquidator = addressOption("--liquidator", opts.liquidator ?? deployment.contracts.FlashLiquidator);
  const swapper = addressOption("--swapper", opts.swapper ?? deployment.contracts.UniswapV3Swapper);
  if (opts.mode === "flash") {
    if (!liquidator || !swapper) {
      fail("--mode flash needs --liquidator (a FlashLiquidator owned by the keeper account) and --swapper");
    }
    for (const [name, a] of [
      ["--liquidator", liquidator],
      ["--swapper", swapper],
    ] as const) {
      if ((await provider.getCode(a!)) === "0x") fail(`${name} ${a}: no contract there on chain ${chainId}`);
    }
  }
  const venue = opts.mode === "flash" ? await flashVenue(opts, provider, deployment, chainId) : undefined;
  const signer = await keeperSigner(provider, chainId, opts.dryRun, env);
  const startBlock = opts.startBlock ?? deployment.block;
  if (!(startBlock > 0)) fail(`${rel} has no start block ("block"): pass --start-block N (the core's creation block)`);
  return {
    ...opts,
    url,
    chainId,
    provider,
    deployment,
    deploymentFile,
    markets,
    signer,
    startBlock,
    liquidator,
    swapper,
    venue,
  };
}

/**
 * Flash mode's quote: the network's Uniswap v3 QuoterV2 over its listed pools (`--quote uniswap`, the default where
 * the deployment or its config has a venue), or none (`--quote oracle`: the adapters' prices less --swap-fee).
 */
async function flashVenue(
  opts: KeeperCliOptions,
  provider: JsonRpcProvider,
  deployment: Deployment,
  chainId: number,
): Promise<KeeperConfig["venue"]> {
  const found = venueQuote(provider, deployment);
  if (opts.quote === "oracle" || (opts.quote === undefined && !found)) return undefined;
  if (!found) {
    return fail(
      `--quote uniswap: ${deployment.network} lists no Uniswap v3 pool for its tokens (deployments/` +
        `${deployment.network}.json "uniswap", deploy/config/${deployment.network}.ts uniswap.pools): list one, ` +
        `or use --quote oracle`,
    );
  }
  if ((await provider.getCode(found.venue.quoterV2)) === "0x") {
    fail(`the Uniswap QuoterV2 ${found.venue.quoterV2} of ${deployment.network} has no code on chain ${chainId}`);
  }
  return { quote: found.quote, quoter: found.venue.quoterV2 };
}

const MARKET_COUNT = ["function marketCount() view returns (uint256)"];
