/**
 * The keeper as a service (`npm run keeper`), against the shared seeded local node: the settings it refuses (one
 * line, exit code 1), `--once` failing when its tick fails, and a long-running keeper that liquidates a position
 * made unhealthy by a price move, exposes it on /metrics, and stops with every process it started on SIGTERM.
 */
import { expect } from "chai";
import fs from "node:fs";
import { spawn } from "node:child_process";
import { Contract, JsonRpcProvider } from "ethers";
import { freePort, childEnv } from "../../scripts/lib/deploy-node";
import { readDeployment } from "../../scripts/lib/deploy-output";
import { BallastCore__factory } from "../../typechain-types";
import { resolveConfig, KeeperConfigError, type KeeperCliOptions } from "../../keeper/config";
import { buildProgram } from "../../keeper/cli";
import { quoteExactIn } from "../../keeper/quote-uniswap";
import { seededNode, run, ROOT } from "../helpers/local-node";

const keeper = (args: string[], env: Record<string, string> = {}) =>
  run("npm", ["run", "--silent", "keeper", "--", ...args], env);

/** Options as the CLI parses them from `args`. */
const parse = (args: string[]) =>
  buildProgram()
    .parse(["node", "keeper", ...args])
    .opts<KeeperCliOptions>();

/** The config error `args` give, as the one line the CLI prints. */
async function configError(args: string[], env: Record<string, string>): Promise<string> {
  try {
    const cfg = await resolveConfig(parse(args), { ...process.env, ...env });
    cfg.provider.destroy();
  } catch (e) {
    expect(e).to.be.instanceOf(KeeperConfigError);
    return (e as Error).message;
  }
  throw new Error(`${args.join(" ")} was accepted`);
}

/** Every live descendant of `pid` (from /proc). */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const d of fs.readdirSync("/proc").filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of parent) if (pp === p) (out.push(c), walk(c));
  };
  walk(pid);
  return out;
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("scenario: the keeper service (npm run keeper)", function () {
  it("refuses to run on Hardhat's empty in-process chain: one line on stderr, exit code 1", async function () {
    const r = await keeper(["--once"]);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim().split("\n")).to.have.length(1);
    expect(r.stderr).to.match(/^keeper: no --network or --rpc: .*in-process chain, which is empty/);
    expect(r.stdout).to.equal("");
  });

  it("stops at start with one line naming the setting: unknown market, bad address, unreachable RPC, bad number", async function () {
    const { env } = await seededNode();
    expect(await configError(["--network", "localhost", "--market", "9"], env)).to.match(
      /^unknown --market 9: .*localhost\.json has markets 1, 2$/,
    );
    expect(await configError(["--network", "localhost", "--liquidator", "0x1234"], env)).to.equal(
      "--liquidator 0x1234 is not an address (0x + 40 hex digits)",
    );
    const dead = `http://127.0.0.1:${await freePort()}`;
    expect(await configError(["--network", "localhost"], { ...env, LOCALHOST_RPC_URL: dead })).to.equal(
      `cannot reach the RPC at ${dead} (LOCALHOST_RPC_URL): ECONNREFUSED`,
    );
    expect(await configError(["--rpc", dead], env)).to.equal(`cannot reach the RPC at ${dead} (--rpc): ECONNREFUSED`);
    const noCode = "0x000000000000000000000000000000000000dEaD";
    expect(await configError(["--network", "localhost", "--mode", "flash", "--liquidator", noCode], env)).to.equal(
      `--liquidator ${noCode}: no contract there on chain 31337`,
    );
    expect(await configError(["--network", "localhost"], { ...env, KEEPER_PRIVATE_KEY: "0x12" })).to.equal(
      "KEEPER_PRIVATE_KEY is malformed: 0x + 64 hex digits expected",
    );
    // The process itself: commander rejects a malformed number in one line, exit code 1.
    const r = await keeper(["--network", "localhost", "--min-profit", "ten"], env);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim()).to.equal(
      "error: option '--min-profit <usd>' argument 'ten' is invalid. --min-profit must be a non-negative decimal number (at most 18 decimals)",
    );
  });

  it("flash mode quotes the network's Uniswap pool from the deployment: the QuoterV2's own figure, on the CLI too", async function () {
    const { node, dir, env } = await seededNode();
    const d = readDeployment("localhost", dir);
    expect(d.uniswap?.pools).to.deep.include({ collateral: "WETH", loan: "USDC", fee: 500 });
    const cfg = await resolveConfig(parse(["--network", "localhost", "--mode", "flash", "--dry-run"]), {
      ...process.env,
      ...env,
    });
    try {
      expect(cfg.venue?.quoter).to.equal(d.uniswap!.quoterV2);
      expect(cfg.liquidator).to.equal(d.contracts.FlashLiquidator);
      const sale = { tokenIn: d.contracts.WETH!, tokenOut: d.contracts.USDC!, amountIn: 10n ** 18n };
      const quoted = await cfg.venue!.quote(sale);
      const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
      expect(quoted).to.equal(await quoteExactIn(provider, d.uniswap!.quoterV2, { ...sale, fee: 500 }));
      provider.destroy();
      // 1 WETH in the $2M-deep pool seeded at $3,000: the 0.05% fee and a little impact
      expect(quoted).to.be.within(2_995n * 10n ** 6n, 2_999n * 10n ** 6n);
      expect(await cfg.venue!.quote({ ...sale, tokenOut: d.contracts.BallastCore! })).to.equal(null);
    } finally {
      cfg.provider.destroy();
    }
    const r = await keeper(["--network", "localhost", "--mode", "flash", "--once", "--dry-run"], env);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    const start = JSON.parse(r.stdout.split("\n")[0]!) as Record<string, unknown>;
    expect(start).to.include({ event: "start", mode: "flash", quote: `uniswap-v3 QuoterV2 ${d.uniswap!.quoterV2}` });
  });

  it("--once exits 1 when its tick failed (an unfunded keeper account cannot send its approval)", async function () {
    const { env } = await seededNode();
    const unfunded = "0x" + "11".repeat(32);
    const r = await keeper(["--network", "localhost", "--once", "--market", "2"], {
      ...env,
      KEEPER_PRIVATE_KEY: unfunded,
    });
    expect(r.code, r.stdout + r.stderr).to.equal(1);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l.event === "tick-failed" && l.market === "2")).to.equal(true);
    const ok = await keeper(["--network", "localhost", "--once", "--dry-run", "--market", "2"], env);
    expect(ok.code, ok.stdout + ok.stderr).to.equal(0);
  });

  it("liquidates a position a price move made unhealthy, counts it on /metrics, and SIGTERM stops it and its children", async function () {
    const { node, dir, env } = await seededNode();
    const d = readDeployment("localhost", dir);
    const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    const signer = await provider.getSigner(0);
    const feed = new Contract(d.contracts.WETHPriceFeed!, ["function updateAnswer(int256)"], signer);
    const core = BallastCore__factory.connect(d.contracts.BallastCore!, provider);
    const borrower = "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f"; // seeded at health factor 1.09 (10 WETH)
    expect((await core.position(1, borrower)).borrowShares).to.be.greaterThan(0n);
    await (await feed.getFunction("updateAnswer")(2500n * 10n ** 8n)).wait(); // health factor 0.90
    const port = await freePort();
    const child = spawn(
      "npm",
      [
        "run",
        "--silent",
        "keeper",
        "--",
        "--network",
        "localhost",
        "--metrics-port",
        String(port),
        "--interval",
        "300",
      ],
      {
        cwd: ROOT,
        env: childEnv(env),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    try {
      const metrics = await scrapeUntil(
        port,
        [
          /ballast_keeper_liquidations_total\{market="1",outcome="sent"\} 1\n/,
          /ballast_keeper_positions_tracked\{market="1"\} 2\n/, // the next tick: two borrowers left with debt
        ],
        120_000,
      );
      expect(metrics).to.match(/ballast_keeper_positions_tracked\{market="2"\} 1\n/);
      expect(Number(/ballast_keeper_last_block (\d+)/.exec(metrics)![1])).to.be.greaterThan(d.block);
      expect(metrics).to.match(/ballast_keeper_flags_total\{market="1",action="flag",outcome="sent"\} 0/);
      const errors = out.split("\n").filter((l) => /"level":(50|40)/.test(l));
      expect(metrics, `keeper errors:\n${errors.join("\n")}`).not.to.match(
        /ballast_keeper_errors_total\{[^}]*\} [1-9]/,
      );
      expect(metrics).to.match(/ballast_keeper_tick_seconds_count\{market="1"\} [1-9]/);
      expect((await core.position(1, borrower)).borrowShares).to.equal(0n);
      const decision = out
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.event === "liquidate");
      expect(decision).to.deep.include({ market: "1", borrower: borrower.toLowerCase(), index: 0 });

      const family = [child.pid!, ...descendants(child.pid!)];
      expect(family.length).to.be.greaterThan(1); // npm and the keeper it started
      child.kill("SIGTERM");
      expect(await Promise.race([exited, sleep(15_000).then(() => "timeout")])).to.equal(0);
      await sleep(1_000);
      expect(family.filter(alive), out).to.deep.equal([]);
      expect(
        await fetch(`http://127.0.0.1:${port}/metrics`).then(
          () => "up",
          () => "down",
        ),
      ).to.equal("down");
      expect(out).to.contain('"event":"stop","signal":"SIGTERM"');
    } finally {
      // on a failure above, no process of this test may outlive it (npm cannot forward SIGKILL to the keeper)
      for (const pid of [child.pid!, ...descendants(child.pid!)].reverse()) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      await (await feed.getFunction("updateAnswer")(3000n * 10n ** 8n)).wait();
      provider.destroy();
    }
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function scrapeUntil(port: number, want: RegExp[], timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      last = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      if (want.every((w) => w.test(last))) return last;
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  throw new Error(`no ${want.join(" and ")} on /metrics after ${timeoutMs} ms; last scrape:\n${last}`);
}
