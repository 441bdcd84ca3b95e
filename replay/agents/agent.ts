/**
 * What every agent of the replay is: something that sends transactions into the blocks the replay mines. The
 * replay mines, per price step, the price block (new feed rounds) and then follow-up blocks while some agent that
 * `drives` still has something to do; each agent sees the keeper's observation of the chain before each block.
 * Transaction order inside a block follows the priority fees: arbitrageur's exchange top-ups 6 gwei, arbitrageur 5,
 * feed rounds 4, flagger 3, leavers 2, keeper's liquidations 1.
 */
import type { MarketView, PositionHealth } from "../../keeper/keeper";
import type { RunState } from "../state";

export interface BlockInput {
  /** Price step index and its data time. */
  k: number;
  t: number;
  /** Follow-up block number within the step (0 = the first after the price block). */
  pass: number;
  view: MarketView;
  health: PositionHealth[];
}

export interface Agent {
  name: string;
  /** True when what it sends warrants another follow-up block (the arbitrageur's re-alignment alone does not). */
  drives: boolean;
  /** Sends into the price block, before anyone observes it. */
  onPriceBlock?(k: number, t: number): Promise<string[]>;
  /** Sends into the next follow-up block. */
  act(b: BlockInput): Promise<string[]>;
  /** After each follow-up block is mined. */
  afterBlock?(t: number): Promise<void>;
}

/** Builds an agent for one replay. */
export type AgentFactory = (run: RunState) => Promise<Agent>;

/** What an agent's file exports as `agent` (agents/index.ts finds it): when it is asked to act, and its factory. */
export interface AgentSpec {
  /** Agents are asked to act in increasing order. */
  order: number;
  make: AgentFactory;
}
