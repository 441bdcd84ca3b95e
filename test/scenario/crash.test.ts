/**
 * Crash replays of every episode in ../shared/data (short windows of the real series, no interpolation), with the
 * keeper acting after every price block and suppliers who run for the exit as soon as they see a position short.
 * The long replays are in `npm run demo`; these keep CI fast.
 */
import { expect } from "chai";
import { runEpisode, type RunResult } from "../../replay/run";
import { EPISODES } from "../../replay/episodes";
import { expectInvariants } from "./helpers";

const spread = (r: RunResult) => {
  const xs = r.suppliers.map((s) => s.lossBps);
  return Math.max(...xs) - Math.min(...xs);
};

describe("scenario: crash replays of every episode (test windows)", function () {
  for (const name of Object.keys(EPISODES)) {
    it(`${name}: accounting closes, no orphan debt, no healthy position liquidated, insurance within caps, flags keep exits fair`, async function () {
      const res = await runEpisode({ episode: name, borrowers: 24, testWindow: true, seed: 11 });
      expectInvariants(res.main);
      expectInvariants(res.withoutFlags!);
      expect(res.main.steps).to.be.greaterThan(0);
      // Leavers withdraw during the crash in both runs (when any position is short).
      if (res.main.liquidations > 0 && res.main.badDebt > 0n) {
        expect(res.main.exits).to.be.greaterThan(0);
      }
      // With flags the loss spread between suppliers is no larger than without (0.01 bp of rounding).
      expect(spread(res.main)).to.be.at.most(spread(res.withoutFlags!) + 0.01);
      // Without flags nothing is ever pending.
      expect(res.withoutFlags!.exitsWhilePending).to.equal(0);
      // Every phase ends with the market's state; the last one is the chain's at the end of the replay.
      const symbols = EPISODES[name]!.collaterals.map((c) => c.symbol);
      for (const p of res.main.phases) expect(Object.keys(p.end!.collateral)).to.deep.equal(symbols);
      const last = res.main.phases[res.main.phases.length - 1]!.end!;
      const ctx = res.ctx; // serial comparison: the chain holds the run without flags now
      expect(last.supply).to.be.greaterThan(0n);
      expect(last.debt).to.be.at.most(last.supply);
      const heldAtEnd = res.withoutFlags!.phases[res.withoutFlags!.phases.length - 1]!.end!;
      for (let i = 0; i < symbols.length; i++) {
        const held = (await ctx.core.collateral(ctx.id, i)).totalSupplied;
        expect(heldAtEnd.collateral[symbols[i]!]).to.equal(held);
      }
      expect(heldAtEnd.debt).to.equal((await ctx.core.market(ctx.id)).totalBorrowAssets);
    });
  }
});
