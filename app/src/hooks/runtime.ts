import { createContext, useContext } from "react";
import type { RuntimeConfig } from "../runtime";

export const RuntimeContext = createContext<RuntimeConfig | null>(null);

/** The runtime config (deployment, RPC, indexer URL). */
export function useRuntime(): RuntimeConfig {
  const rt = useContext(RuntimeContext);
  if (!rt) throw new Error("useRuntime outside RuntimeContext");
  return rt;
}
