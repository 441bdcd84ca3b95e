/**
 * `npm run stress` and `npm run frontier` on a CI-sized grid: real Uniswap pools, the crash window only, a few
 * borrowers. The grid has one cell per depth x keeper latency, each with its bad debt split exactly into who paid
 * it; the frontier's limits are consistent with the replays they come from.
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { renderHeatMap, stressGrid, writeStress } from "../../replay/stress";
import { frontier } from "../../replay/frontier";
import { runEpisode } from "../../replay/run";

describe("scenario: stress grid and risk frontier (small grid)", function () {
  it("stress: one cell per depth x keeper latency, bad debt = reserves + insurance + socialized, a heat map", async function () {
    const r = await stressGrid({
      episode: "aug2024",
      borrowers: 8,
      depths: [50_000, 5_000_000],
      keeperEvery: [1, 4],
      testWindow: true,
      seed: 3,
    });
    expect(r.episode).to.equal("aug2024");
    expect(r.grid.map((c) => [c.depthUsd2Pct, c.keeperEveryBlocks])).to.deep.equal([
      [50_000, 1],
      [50_000, 4],
      [5_000_000, 1],
      [5_000_000, 4],
    ]);
    for (const c of r.grid) {
      expect(BigInt(c.badDebt)).to.equal(BigInt(c.fromReserves) + BigInt(c.fromInsurance) + BigInt(c.socialized));
      expect(c.unprofitableSkips).to.be.at.least(0);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ballast-stress-"));
    const { json, svg } = await writeStress(r, dir);
    expect(JSON.parse(fs.readFileSync(json, "utf8"))).to.deep.equal(r);
    expect(fs.readFileSync(svg, "utf8")).to.match(/^<svg/);
    expect(await renderHeatMap(r)).to.include("supplier loss");
  });

  it("frontier: each episode's limit replays without socializing, and the frontier is the tightest", async function () {
    const r = await frontier({ collateral: "USDC", borrowers: 6, testWindow: true, tolerance: 0.2, seed: 5 });
    expect(r.episodes.map((e) => e.episode)).to.deep.equal(["usdc-2023-03"]);
    const e = r.episodes[0]!;
    expect(r.frontier.liquidationThreshold).to.equal(e.maxLiquidationThreshold);
    expect(e.thresholdMargin).to.equal(0);
    expect(r.frontier.ltv).to.be.closeTo(r.frontier.liquidationThreshold! - 0.03, 1e-4);
    // Replaying at the frontier socializes nothing.
    const lt = r.frontier.liquidationThreshold!;
    const res = await runEpisode({
      episode: "usdc-2023-03",
      borrowers: 6,
      testWindow: true,
      seed: 5,
      compareWithoutFlags: false,
      params: { risk: { USDC: { liquidationThreshold: lt.toFixed(4), ltv: (lt - 0.03).toFixed(4) } } },
    });
    expect(res.main.socialized).to.equal(0n);
  });
});
