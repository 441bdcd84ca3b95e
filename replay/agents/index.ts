/**
 * The agents of a replay, in the order they are asked to act (their priority fees order them inside a block).
 * Adding an agent: write its AgentFactory (see agent.ts) in this folder and list it here.
 */
import type { AgentFactory } from "./agent";
import { arbitrageur } from "./arbitrageur-agent";
import { flagger } from "./flagger";
import { keeper } from "./keeper";
import { leavers } from "./leavers";

export const AGENTS: AgentFactory[] = [arbitrageur, flagger, leavers, keeper];
