/**
 * The keeper's Prometheus metrics (prom-client) and the HTTP server that serves them on `--metrics-port`
 * (GET /metrics; anything else is a 404). Every series is labelled by market id.
 *
 *   ballast_keeper_positions_tracked{market}        positions with debt the keeper values each tick (gauge)
 *   ballast_keeper_liquidations_total{market,outcome} liquidations: sent (confirmed), failed, planned (dry run)
 *   ballast_keeper_flags_total{market,outcome}      shortfall flags and clears: flag|clear x sent|failed|planned
 *   ballast_keeper_skips_total{market,reason}       positions skipped, by reason (unprofitable, dust, ...)
 *   ballast_keeper_errors_total{market,kind}        failed ticks (kind "tick") and reverted transactions
 *   ballast_keeper_last_block                       the last block the keeper synced (gauge)
 *   ballast_keeper_tick_seconds{market}             time of one tick (histogram)
 * plus prom-client's default process metrics (CPU, memory, event-loop lag).
 */
import http from "node:http";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { TickResult } from "./keeper";

export class KeeperMetrics {
  readonly registry = new Registry();
  readonly positions = this.gauge("positions_tracked", "Positions with debt valued at the last tick", ["market"]);
  readonly liquidations = this.counter(
    "liquidations_total",
    "Liquidations: sent (confirmed), failed, planned (dry run)",
    ["market", "outcome"],
  );
  readonly flags = this.counter("flags_total", "Shortfall flags and clears by action and outcome", [
    "market",
    "action",
    "outcome",
  ]);
  readonly skips = this.counter("skips_total", "Liquidatable positions (or held transactions) skipped, by reason", [
    "market",
    "reason",
  ]);
  readonly errors = this.counter("errors_total", "Failed ticks (kind tick) and reverted transactions", [
    "market",
    "kind",
  ]);
  readonly lastBlock = this.gauge("last_block", "The last block the keeper synced", []);
  readonly tickSeconds = new Histogram({
    name: "ballast_keeper_tick_seconds",
    help: "Time of one tick (sync, value, act) of one market",
    labelNames: ["market"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  private counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name: `ballast_keeper_${name}`, help, labelNames, registers: [this.registry] });
  }

  private gauge<L extends string>(name: string, help: string, labelNames: L[]): Gauge<L> {
    return new Gauge({ name: `ballast_keeper_${name}`, help, labelNames, registers: [this.registry] });
  }

  constructor(defaults = true) {
    if (defaults) collectDefaultMetrics({ register: this.registry, prefix: "ballast_keeper_" });
  }

  /** Counts what one tick of `market` did. */
  recordTick(market: bigint, r: TickResult, dryRun: boolean, seconds: number): void {
    const m = market.toString();
    this.positions.set({ market: m }, r.health.length);
    this.lastBlock.set(r.view.blockNumber);
    this.tickSeconds.observe({ market: m }, seconds);
    for (const s of r.skipped) this.skips.inc({ market: m, reason: s.code });
    const failed = (kind: string) => r.failed.filter((f) => f.kind === kind).length;
    const sent = (kind: string) => r.sent.filter((s) => s.kind === kind).length - failed(kind);
    for (const f of r.failed) this.errors.inc({ market: m, kind: f.kind });
    if (dryRun) {
      this.liquidations.inc({ market: m, outcome: "planned" }, r.liquidations.length);
      this.flags.inc({ market: m, action: "flag", outcome: "planned" }, r.flagged.length);
      this.flags.inc({ market: m, action: "clear", outcome: "planned" }, r.cleared.length);
      return;
    }
    this.liquidations.inc({ market: m, outcome: "sent" }, sent("liquidate"));
    this.liquidations.inc({ market: m, outcome: "failed" }, failed("liquidate"));
    for (const action of ["flag", "clear"] as const) {
      this.flags.inc({ market: m, action, outcome: "sent" }, sent(action));
      this.flags.inc({ market: m, action, outcome: "failed" }, failed(action));
    }
  }

  /** Counts a tick of `market` that threw (RPC down, node restarted...). */
  recordTickError(market: bigint): void {
    this.errors.inc({ market: market.toString(), kind: "tick" });
  }

  /** Serves GET /metrics on 127.0.0.1:`port` (`host` to listen elsewhere); resolves once listening. */
  async serve(port: number, host = "127.0.0.1"): Promise<http.Server> {
    const server = http.createServer((req, res) => {
      if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
        res.writeHead(404).end("not found: GET /metrics\n");
        return;
      }
      this.registry.metrics().then(
        (body) => res.writeHead(200, { "content-type": this.registry.contentType }).end(body),
        (e: unknown) => res.writeHead(500).end(String(e)),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    return server;
  }
}
