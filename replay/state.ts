/** The state of one replay (one pass over the episode, with or without flags) shared by its parts. */
import type { Keeper } from "../keeper/keeper";
import type { Arbitrageur } from "./agents/arbitrageur";
import type { QuoteVet } from "./agents/keeper-quote";
import type { EpisodeSpec, RunParams } from "./episodes";
import type { PriceDriver } from "./prices/rounds";
import type { Tally } from "./tally";
import type { ChartPoint, SimContext, SimOptions, Stress } from "./types";

export interface RunState {
  ctx: SimContext;
  ep: EpisodeSpec;
  params: RunParams;
  opts: SimOptions;
  driver: PriceDriver;
  stress: Stress;
  /** The flagger flags (false in the comparison replay without flags). */
  flag: boolean;
  /** The liquidating keeper, also the observer every agent sees through. */
  keeper: Keeper;
  quote?: QuoteVet;
  arbitrageur?: Arbitrageur;
  tally: Tally;
  chart: ChartPoint[];
  priceHalts: Record<string, number>;
  /** Transactions sent and not yet checked for success. */
  pending: string[];
  failedTx: number;
  blocks: number;
}
