import { runEpisode } from "./replay/sim";
import { poolPrice, poolSqrt } from "./replay/venue";
async function main() {
  const res = await runEpisode({
    episode: "blackthursday-2020-03", borrowers: 30, testWindow: true, compareWithoutFlags: false,
    onStep: async (ctx, step) => {
      if (step.index % 20 !== 0) return;
      const p = ctx.venue.pools[0]!;
      console.log(step.dataTime, step.rounds.map((r) => r.symbol + " " + r.round.price).join(","), "pool", poolPrice(p, await poolSqrt(p.pool)), p.loanIsToken1);
    },
  });
  console.log(res.main.maxPoolDeviationBps, res.main.avgSlippageBps, res.main.arbitrageSwaps, res.main.liquidations);
}
main();
