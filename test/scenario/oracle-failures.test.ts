/**
 * Oracle-failure episodes replayed on real crash data: a feed that stalls mid-crash past its heartbeat, an L2
 * sequencer outage with its grace period, a feed pinned at a floor while the market keeps falling (LUNA), and a
 * primary feed that dies with a valid fallback. Each also checks the accounting invariants of the replay.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import type { Signer } from "ethers";
import { runEpisode, type SimContext, type SimResult } from "../../replay/run";
import { expectInvariants } from "./helpers";

const d = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** Data times of the replay's liquidations. */
async function liquidationTimes(res: SimResult): Promise<number[]> {
  const { core, id, offset } = res.ctx;
  const logs = await core.queryFilter(core.filters.Liquidate(id), 0, "latest");
  const out: number[] = [];
  for (const l of logs) out.push((await l.getBlock()).timestamp - offset);
  return out;
}

/** Funds a probe account before the replay (so the token-conservation check covers the replay only). */
function fundProbe(probe: Signer, index: number, units: bigint, loanUnits: bigint) {
  return async (ctx: SimContext) => {
    const col = ctx.collaterals[index]!;
    const me = await probe.getAddress();
    const coreAddr = await ctx.core.getAddress();
    await (await col.token.connect(ctx.deployer).mint(me, units * 2n)).wait();
    await (await col.token.connect(probe).approve(coreAddr, ethers.MaxUint256)).wait();
    await (await ctx.loan.token.connect(ctx.deployer).mint(me, loanUnits)).wait();
    await (await ctx.loan.token.connect(probe).approve(coreAddr, ethers.MaxUint256)).wait();
  };
}

/** The probe opens a small position on collateral `index` at the replay's first block. */
async function openProbe(ctx: SimContext, probe: Signer, index: number, units: bigint, borrow: bigint, at: number) {
  const me = await probe.getAddress();
  await ctx.core.connect(probe).supplyCollateral(ctx.id, index, units, me, { gasLimit: 500_000n });
  await ctx.core.connect(probe).borrow(ctx.id, borrow, 0, me, me, { gasLimit: 800_000n });
  await ctx.mine(at);
}

async function mined(ctx: SimContext, at: number, send: () => Promise<{ hash: string }>): Promise<number> {
  const tx = await send();
  await ctx.mine(at);
  const r = await ethers.provider.getTransactionReceipt(tx.hash);
  return r?.status ?? -1;
}

describe("scenario: oracle failures during real crashes", function () {
  it("a feed stalled mid-crash halts borrow, collateral withdrawal and liquidation with StalePrice while repay and supply work; liquidation resumes at the far lower price and the outage's cost is reported", async function () {
    const [, , , , , , , , , , , , probe] = await ethers.getSigners();
    const window = { from: d("2020-03-12T00:00:00Z"), to: d("2020-03-13T06:00:00Z") };
    const outage = { symbol: "WETH", from: d("2020-03-12T09:00:00Z"), to: d("2020-03-12T15:00:00Z") };
    const probeAt = outage.from + 3600 + 600 + 1200; // past the adapter's max age (heartbeat + 10 min)
    let checked = false;
    let liquidationsBeforeReturn = -1;
    const base = await runEpisode({
      episode: "blackthursday-2020-03",
      borrowers: 24,
      window,
      seed: 5,
      compareWithoutFlags: false,
    });
    const res = await runEpisode({
      episode: "blackthursday-2020-03",
      borrowers: 24,
      window,
      seed: 5,
      compareWithoutFlags: false,
      stress: { outage },
      beforeReplay: fundProbe(probe!, 0, 10n ** 19n, 10n ** 10n),
      extraSteps: [probeAt],
      onStep: async (ctx, step) => {
        if (step.index === 0) await openProbe(ctx, probe!, 0, 10n ** 19n, 500n * 10n ** 6n, step.chainTime + 1);
        if (step.dataTime === probeAt) {
          const me = await probe!.getAddress();
          const adapter = ctx.collaterals[0]!.adapter;
          const { core, id } = ctx;
          await expect(core.connect(probe!).borrow.staticCall(id, 10n ** 6n, 0, me, me)).to.be.revertedWithCustomError(
            adapter,
            "StalePrice",
          );
          await expect(
            core.connect(probe!).withdrawCollateral.staticCall(id, 0, 1n, me, me),
          ).to.be.revertedWithCustomError(adapter, "StalePrice");
          await expect(
            core.connect(ctx.keeperSigner).liquidate.staticCall(id, me, 0, 1n, me, "0x"),
          ).to.be.revertedWithCustomError(adapter, "StalePrice");
          await expect(core.flagShortfall.staticCall(id, me)).to.be.revertedWithCustomError(adapter, "StalePrice");
          const repay = await mined(ctx, step.chainTime + 1, () =>
            core.connect(probe!).repay(id, 10n ** 6n, 0, me, { gasLimit: 500_000n }),
          );
          const supply = await mined(ctx, step.chainTime + 2, () =>
            core.connect(probe!).supply(id, 10n ** 6n, 0, me, { gasLimit: 500_000n }),
          );
          const addCol = await mined(ctx, step.chainTime + 3, () =>
            core.connect(probe!).supplyCollateral(id, 0, 10n ** 15n, me, { gasLimit: 500_000n }),
          );
          expect([repay, supply, addCol]).to.deep.equal([1, 1, 1]);
          checked = true;
        }
        if (liquidationsBeforeReturn < 0 && step.dataTime >= outage.to) {
          liquidationsBeforeReturn = (await ctx.core.queryFilter(ctx.core.filters.Liquidate(ctx.id), 0, "latest"))
            .length;
        }
      },
    });
    expect(checked).to.equal(true);
    expectInvariants(res.main);
    expectInvariants(base.main);
    // No liquidation happened while the feed was stale.
    const times = await liquidationTimes(res);
    expect(times.filter((t) => t > outage.from + 4200 && t < outage.to)).to.deep.equal([]);
    // Liquidation resumes when the feed returns.
    expect(times.filter((t) => t >= outage.to).length).to.be.greaterThan(0);
    expect(liquidationsBeforeReturn).to.be.greaterThan(-1);
    // The outage's cost: bad debt with the outage minus bad debt of the same replay without it.
    const cost = res.main.badDebt - base.main.badDebt;
    console.log(
      `      outage cost: bad debt ${res.main.badDebt} vs ${base.main.badDebt} without the outage (+${cost} USDC units); ` +
        `liquidations ${res.main.liquidations} vs ${base.main.liquidations}`,
    );
    expect(res.main.badDebt).to.be.at.least(base.main.badDebt);
  });

  it("an L2 sequencer outage halts liquidation (SequencerDown), then the grace period holds it (GracePeriodNotOver), then it resumes", async function () {
    const [, , , , , , , , , , , , probe] = await ethers.getSigners();
    const window = { from: d("2024-08-04T18:00:00Z"), to: d("2024-08-05T08:00:00Z") };
    const sequencer = { downAt: d("2024-08-04T23:30:00Z"), upAt: d("2024-08-05T01:00:00Z"), grace: 3600 };
    const whileDown = sequencer.downAt + 1800;
    const inGrace = sequencer.upAt + 1200;
    const seen: string[] = [];
    const res = await runEpisode({
      episode: "aug2024",
      borrowers: 24,
      window,
      seed: 9,
      compareWithoutFlags: false,
      stress: { sequencer },
      beforeReplay: fundProbe(probe!, 0, 10n ** 18n, 10n ** 10n),
      extraSteps: [whileDown, inGrace],
      onStep: async (ctx, step) => {
        if (step.index === 0) await openProbe(ctx, probe!, 0, 10n ** 18n, 500n * 10n ** 6n, step.chainTime + 1);
        const me = await probe!.getAddress();
        const { core, id } = ctx;
        const adapter = ctx.collaterals[0]!.adapter;
        if (step.dataTime === whileDown) {
          await expect(
            core.connect(ctx.keeperSigner).liquidate.staticCall(id, me, 0, 1n, me, "0x"),
          ).to.be.revertedWithCustomError(adapter, "SequencerDown");
          await expect(core.connect(probe!).borrow.staticCall(id, 10n ** 6n, 0, me, me)).to.be.revertedWithCustomError(
            adapter,
            "SequencerDown",
          );
          expect(
            await mined(ctx, step.chainTime + 1, () =>
              core.connect(probe!).repay(id, 10n ** 6n, 0, me, { gasLimit: 500_000n }),
            ),
          ).to.equal(1);
          seen.push("down");
        }
        if (step.dataTime === inGrace) {
          await expect(core.connect(ctx.keeperSigner).liquidate.staticCall(id, me, 0, 1n, me, "0x"))
            .to.be.revertedWithCustomError(adapter, "GracePeriodNotOver")
            .withArgs(sequencer.upAt + ctx.offset, sequencer.grace);
          seen.push("grace");
        }
      },
    });
    expect(seen).to.deep.equal(["down", "grace"]);
    expectInvariants(res.main);
    const times = await liquidationTimes(res);
    expect(times.filter((t) => t > sequencer.downAt && t <= sequencer.upAt + sequencer.grace)).to.deep.equal([]);
    expect(times.filter((t) => t > sequencer.upAt + sequencer.grace).length).to.be.greaterThan(0);
  });

  it("LUNA: a feed pinned at its minAnswer floor while the market keeps falling halts the market (PriceOutOfBounds) instead of pricing collateral at the floor", async function () {
    const [, , , , , , , , , , , , probe] = await ethers.getSigners();
    const window = { from: d("2022-05-12T06:00:00Z"), to: d("2022-05-12T14:00:00Z"), every: 5 };
    const floor = { symbol: "LUNA", minAnswer: "0.107", minPrice: "0.11" };
    let clampedSteps = 0;
    let lastValidData = 0;
    const res = await runEpisode({
      episode: "terra-2022-05",
      borrowers: 24,
      window,
      seed: 3,
      compareWithoutFlags: false,
      stress: { floor },
      beforeReplay: fundProbe(probe!, 0, 10n ** 22n, 10n ** 10n),
      onStep: async (ctx, step) => {
        if (step.index === 0) await openProbe(ctx, probe!, 0, 10n ** 22n, 10n * 10n ** 6n, step.chainTime + 1);
        const luna = step.rounds.find((r) => r.symbol === "LUNA");
        if (!luna) return;
        const adapter = ctx.collaterals[0]!.adapter;
        if (!luna.round.clamped) {
          if (Number(luna.round.price) >= 0.11) lastValidData = step.dataTime;
          return;
        }
        // The market trades below the floor; the feed reports the floor; the adapter refuses it.
        expect(Number(luna.round.price)).to.be.lessThan(0.107);
        expect(
          (
            await (
              ctx.collaterals[0]!.feed as unknown as { latestRoundData(): Promise<[bigint, bigint]> }
            ).latestRoundData()
          )[1],
        ).to.equal(10700000n);
        await expect(adapter.price()).to.be.revertedWithCustomError(adapter, "PriceOutOfBounds");
        const me = await probe!.getAddress();
        // Borrowing against LUNA at the floor price is impossible (the Venus/Blizz exploit path).
        await expect(
          ctx.core.connect(probe!).borrow.staticCall(ctx.id, 10n ** 6n, 0, me, me),
        ).to.be.revertedWithCustomError(adapter, "PriceOutOfBounds");
        clampedSteps++;
      },
    });
    expect(clampedSteps).to.be.greaterThan(0);
    expectInvariants(res.main);
    // No liquidation was priced at the floor: all happened while LUNA's answer was a real in-bounds price.
    const times = await liquidationTimes(res);
    expect(times.every((t) => t <= lastValidData + 60)).to.equal(true);
    expect(res.main.priceHalts).to.have.property("PriceOutOfBounds");
  });

  it("a primary feed that dies mid-crash hands over to a valid fallback within its deviation bound, and liquidation continues", async function () {
    const window = { from: d("2024-08-04T20:00:00Z"), to: d("2024-08-05T08:00:00Z") };
    const at = d("2024-08-05T00:00:00Z");
    let checked = false;
    const res = await runEpisode({
      episode: "aug2024",
      borrowers: 24,
      window,
      seed: 13,
      compareWithoutFlags: false,
      stress: { primaryDies: { symbol: "WETH", at, maxDeviation: "0.2" } },
      onStep: async (ctx, step) => {
        if (checked || step.dataTime < at || !step.rounds.some((r) => r.symbol === "WETH")) return;
        const c = ctx.collaterals[0]!;
        await expect(
          (c.feed as unknown as { latestRoundData(): Promise<unknown> }).latestRoundData(),
        ).to.be.revertedWith("feed retired");
        const [, answer] = await c.fallbackFeed!.latestRoundData();
        expect(await c.adapter.price()).to.equal(answer * 10n ** 10n);
        checked = true;
      },
    });
    expect(checked).to.equal(true);
    expectInvariants(res.main);
    const times = await liquidationTimes(res);
    expect(times.filter((t) => t > at).length).to.be.greaterThan(0);
  });
});
