/** The arbitrageur as a replay agent: steers every pool in the price block and in every follow-up block. */
import { Arbitrageur } from "./arbitrageur";
import { realPriceReader } from "../prices/rounds";
import { lastPriceOf } from "../util";
import type { AgentFactory, AgentSpec } from "./agent";

/** Priority fee of the arbitrageur: first in its block (it reacts to the previous block's state). */
const ARB_TIP = 5n * 10n ** 9n;

export const arbitrageur: AgentFactory = async (run) => {
  const { ctx } = run;
  const { spec, signer, cex, capital } = ctx.arbitrageur;
  const arb = new Arbitrageur(spec, ctx.venue, await signer.getAddress(), cex, capital);
  run.arbitrageur = arb;
  const real = realPriceReader(run.driver.colPoints);
  const loanAt = (t: number) => Number(lastPriceOf(ctx.loan, t));
  const oracle = (t: number) => ctx.collaterals.map((c) => Number(lastPriceOf(c, t)) / loanAt(t));
  return {
    name: "arbitrageur",
    drives: false,
    onPriceBlock: async (_k, t) => {
      arb.observe(ctx.collaterals.map((_, i) => real(i, t) / loanAt(t)));
      return arb.act(ARB_TIP);
    },
    act: () => arb.act(ARB_TIP),
    afterBlock: async (t) => {
      await arb.measure(oracle(t));
    },
  };
};

/** First: it repairs what the last block's sales did before anyone acts on the pools. */
export const agent: AgentSpec = { order: 10, make: arbitrageur };
