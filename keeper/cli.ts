/**
 * `npm run keeper -- --network localhost` (the CLI of the keeper service; `--help` lists every option with its
 * default). Resolves and checks the settings (keeper/config.ts: one line and exit code 1 on a bad one), then ticks
 * every market of the deployment until SIGINT or SIGTERM, logging each decision (pino) and serving Prometheus
 * metrics on `--metrics-port`.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { parseUnits } from "ethers";
import type { Server } from "node:http";
import { KeeperConfigError, resolveConfig, type KeeperCliOptions } from "./config";
import { createLogger } from "./log";
import { KeeperMetrics } from "./metrics";
import { KeeperService } from "./service";

const decimal = (what: string, decimals: number) => (v: string) => {
  if (!/^\d+(\.\d+)?$/.test(v) || (v.split(".")[1]?.length ?? 0) > decimals) {
    throw new InvalidArgumentError(`${what} must be a non-negative decimal number (at most ${decimals} decimals)`);
  }
  return parseUnits(v, decimals);
};
const integer =
  (what: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  (v: string) => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max)
      throw new InvalidArgumentError(`${what} must be an integer from ${min} to ${max}`);
    return n;
  };
const markets = (v: string, prev: bigint[] | undefined) => {
  const ids = v.split(",").map((s) => s.trim());
  if (ids.some((s) => !/^[1-9]\d*$/.test(s))) throw new InvalidArgumentError("market ids are positive integers");
  return [...(prev ?? []), ...ids.map(BigInt)];
};

/** An 18-decimal option with a default shown as typed. */
const usd = (flags: string, description: string, def: string) =>
  new Option(flags, description).argParser(decimal(flags.split(" ")[0]!, 18)).default(parseUnits(def, 18), def);

/** The commander program (exported so tests can read its help). */
export function buildProgram(): Command {
  return new Command("keeper")
    .description("Ballast liquidation keeper: flags shortfalls and liquidates unhealthy positions in every market")
    .option(
      "--network <name>",
      "localhost, sepolia or mainnet: reads deployments/<name>.json; RPC from LOCALHOST_RPC_URL (default http://127.0.0.1:8545), SEPOLIA_RPC_URL or MAINNET_RPC_URL",
    )
    .option(
      "--rpc <url>",
      "JSON-RPC URL (overrides the network's; without --network the deployment is the deployments/*.json of its chain id)",
    )
    .option("--deployment <file>", "deployment file to read instead of deployments/<network>.json")
    .option(
      "--market <ids>",
      "only these market ids (comma-separated or repeated) (default: every market of the deployment)",
      markets,
    )
    .addOption(
      new Option(
        "--mode <mode>",
        "flash: a FlashLiquidator sells the seized collateral; inventory: repay from the keeper's balance",
      )
        .choices(["flash", "inventory"])
        .default("inventory"),
    )
    .option("--dry-run", "plan and log only: send nothing", false)
    .option("--once", "one tick of every market, then exit (exit code 1 if the tick failed)", false)
    .addOption(usd("--min-profit <usd>", "smallest profit after gas (USD) worth a liquidation", "0"))
    .addOption(usd("--gas-cost <usd>", "gas cost of one liquidation (USD), subtracted from its profit", "5"))
    .option(
      "--gas-price-cap <gwei>",
      "hold every transaction while the gas price is above this (default: no cap)",
      decimal("--gas-price-cap", 9),
    )
    .option(
      "--metrics-port <port>",
      "serve Prometheus metrics on http://127.0.0.1:<port>/metrics (default: off)",
      integer("--metrics-port", 1, 65535),
    )
    .option("--interval <ms>", "pause between ticks", integer("--interval", 100), 2000)
    .option(
      "--liquidator <address>",
      "flash mode: the FlashLiquidator owned by the keeper account (default: the deployment's FlashLiquidator)",
    )
    .option(
      "--swapper <address>",
      "flash mode: the venue the collateral is sold on (default: the deployment's UniswapV3Swapper)",
    )
    .addOption(
      new Option(
        "--quote <source>",
        "flash mode's profit check: uniswap (the network's QuoterV2 and pools, from the deployment or its config) " +
          "or oracle (the adapters' prices less --swap-fee) (default: uniswap where the network has a pool)",
      ).choices(["uniswap", "oracle"]),
    )
    .addOption(usd("--swap-fee <ratio>", "flash mode: fee assumed when the sale is priced at the oracle", "0.003"))
    .option("--no-flag", "do not flag shortfalls (liquidate only)")
    .option(
      "--start-block <n>",
      "first block to read events from (default: the deployment's block, where the core was created)",
      integer("--start-block", 1),
    )
    .addOption(
      new Option("--log-level <level>", "log level").choices(["debug", "info", "warn", "error"]).default("info"),
    )
    .addHelpText(
      "after",
      "\nEnvironment: KEEPER_PRIVATE_KEY (the keeper account; on a local node the first unlocked account is used without it).\nExample: npm run keeper -- --network localhost --once --dry-run",
    );
}

/** Runs the CLI; resolves with the process exit code. */
export async function main(argv: string[] = process.argv): Promise<number> {
  const program = buildProgram();
  program.parse(argv);
  const opts = program.opts<KeeperCliOptions>();
  let cfg;
  try {
    cfg = await resolveConfig(opts);
  } catch (e) {
    if (!(e instanceof KeeperConfigError)) throw e;
    console.error(`keeper: ${e.message}`);
    return 1;
  }
  const logger = createLogger(opts.logLevel);
  const metrics = new KeeperMetrics();
  let server: Server | undefined;
  if (cfg.metricsPort !== undefined) {
    try {
      server = await metrics.serve(cfg.metricsPort);
    } catch (e) {
      console.error(`keeper: --metrics-port ${cfg.metricsPort}: ${(e as { code?: string }).code ?? String(e)}`);
      cfg.provider.destroy();
      return 1;
    }
  }
  const service = new KeeperService(cfg, { logger, metrics, quote: cfg.venue?.quote });
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ event: "stop", signal }, "stopping");
    service.stop();
    process.once(signal, () => process.exit(130)); // a second signal: stop now
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  logger.info(
    {
      event: "start",
      account: await cfg.signer.getAddress(),
      chainId: cfg.chainId,
      deployment: cfg.deploymentFile,
      markets: cfg.markets.map(String),
      mode: cfg.mode,
      dryRun: cfg.dryRun,
      flag: cfg.flag,
      startBlock: cfg.startBlock,
      quote: cfg.mode !== "flash" ? null : cfg.venue ? `uniswap-v3 QuoterV2 ${cfg.venue.quoter}` : "oracle",
      metrics: cfg.metricsPort ? `http://127.0.0.1:${cfg.metricsPort}/metrics` : null,
    },
    "keeper started",
  );
  const code = await service.run();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  cfg.provider.destroy();
  logger.info({ event: "stopped", code }, "keeper stopped");
  return code;
}
