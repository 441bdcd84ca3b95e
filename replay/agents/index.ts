/**
 * The agents of a replay, found by name in this folder: every file that exports `agent` (an AgentSpec, see
 * agent.ts) takes part, asked to act in the order of its `order` (their priority fees order them inside a
 * block). Adding an agent is adding its file here; nothing else lists it.
 */
import fs from "fs";
import path from "path";
import type { AgentFactory, AgentSpec } from "./agent";

function discover(): AgentSpec[] {
  const specs: AgentSpec[] = [];
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (!/\.(ts|js)$/.test(file) || file.endsWith(".d.ts") || /^index\./.test(file)) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(__dirname, file)) as { agent?: AgentSpec };
    if (mod.agent) specs.push(mod.agent);
  }
  return specs.sort((a, b) => a.order - b.order);
}

export const AGENTS: AgentFactory[] = discover().map((s) => s.make);
