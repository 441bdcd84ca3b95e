/**
 * The keeper as a service: one Keeper per market of the deployment, ticked in turn every `interval` ms (or once),
 * each decision logged, each tick counted in the metrics. `stop()` ends the loop at once (a pending pause is cut
 * short); a tick in flight finishes its current step.
 */
import { BallastCore__factory, FlashLiquidator__factory } from "../typechain-types";
import { WAD, MAX_UINT256 } from "../sdk/math";
import { Keeper, fmtWad, type TickResult } from "./keeper";
import type { KeeperConfig } from "./config";
import type { KeeperMetrics } from "./metrics";
import { plain, type Logger } from "./log";
import type { QuoteFn } from "./strategy";

export interface ServiceDeps {
  logger: Logger;
  metrics?: KeeperMetrics;
  /** Flash mode: the venue's quote (default: the adapters' prices less `--swap-fee`). */
  quote?: QuoteFn;
}

export class KeeperService {
  readonly keepers = new Map<bigint, Keeper>();
  private stopped = false;
  private wake?: () => void;

  constructor(
    readonly cfg: KeeperConfig,
    private readonly deps: ServiceDeps,
  ) {
    const core = BallastCore__factory.connect(cfg.deployment.contracts.BallastCore!, cfg.signer);
    const liquidator = cfg.liquidator ? FlashLiquidator__factory.connect(cfg.liquidator, cfg.signer) : undefined;
    for (const marketId of cfg.markets) {
      const log = deps.logger.child({ market: marketId.toString() });
      this.keepers.set(
        marketId,
        new Keeper({
          core,
          marketId,
          signer: cfg.signer,
          mode: cfg.mode,
          liquidator,
          swapper: cfg.swapper,
          swapFee: cfg.swapFee,
          quote: deps.quote,
          flag: cfg.flag,
          dryRun: cfg.dryRun,
          startBlock: cfg.startBlock,
          gasCostUsd: cfg.gasCost,
          minProfitUsd: cfg.minProfit,
          gasPriceCap: cfg.gasPriceCap,
          onEvent: ({ event, marketId: _m, ...fields }) => log.info(plain({ event, ...fields }), event),
        }),
      );
    }
  }

  /** One tick of every market; false when any of them threw (the error is logged and counted). */
  async tickAll(): Promise<boolean> {
    let ok = true;
    for (const [marketId, keeper] of this.keepers) {
      if (this.stopped) break;
      const t0 = process.hrtime.bigint();
      try {
        const r = await keeper.tick();
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        this.deps.metrics?.recordTick(marketId, r, this.cfg.dryRun, seconds);
        this.deps.logger.info(summary(marketId, r, seconds), "tick");
      } catch (e) {
        ok = false;
        this.deps.metrics?.recordTickError(marketId);
        const message = (e as { shortMessage?: string }).shortMessage ?? (e as Error).message ?? String(e);
        this.deps.logger.error({ event: "tick-failed", market: marketId.toString(), error: message }, "tick failed");
      }
    }
    return ok;
  }

  /** Ticks until `stop()` (or once with `--once`); resolves with the exit code: 1 if the `--once` tick failed. */
  async run(): Promise<number> {
    for (;;) {
      const ok = await this.tickAll();
      if (this.cfg.once) return ok ? 0 : 1;
      if (this.stopped) return 0;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.cfg.interval);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (this.stopped) return 0;
    }
  }

  /** Ends the loop: no new tick starts; a pending pause ends now. */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }
}

function summary(marketId: bigint, r: TickResult, seconds: number): Record<string, unknown> {
  const worst = r.health.find((h) => !h.invalid);
  return {
    event: "tick",
    market: marketId.toString(),
    block: r.view.blockNumber,
    positions: r.health.length,
    lowestHf: worst && worst.hf !== MAX_UINT256 ? fmtWad(worst.hf) : null,
    liquidatable: r.health.filter((h) => !h.invalid && h.hf < WAD).length,
    flagged: r.flagged.length,
    cleared: r.cleared.length,
    liquidations: r.liquidations.length,
    skipped: r.skipped.length,
    failed: r.failed.length,
    ms: Math.round(seconds * 1000),
  };
}
