/**
 * The crash lab's report files (reports/crash-*.json, stress-*.json, frontier-*.json), copied next to the built
 * app by `npm run app` and the e2e suite. Their types are the crash lab's own (replay/), imported as types only;
 * the episode table (replay/episodes.ts, plain data) gives each report's loan asset and collateral decimals.
 */
import { useQuery } from "@tanstack/react-query";
import { formatUnits } from "viem";
import type { CrashReport } from "../../../replay/report";
import type { StressReport } from "../../../replay/stress";
import type { FrontierReport } from "../../../replay/frontier";
import { EPISODES } from "../../../replay/episodes";

export type { CrashReport, StressReport, FrontierReport };

/**
 * The balances the crash lab records at the end of each phase (collateral per symbol and debt and supply in base
 * units, collateral value in USD): the crash lab's own fields. Reports written before it have none, hence Partial.
 */
type CrashPhase = CrashReport["phases"][number];
export type PhaseBalances = Pick<CrashPhase, "collateral" | "collateralValueUsd" | "debt" | "supply">;
export type Phase = Omit<CrashPhase, keyof PhaseBalances> & Partial<PhaseBalances>;

/** Fetches reports/<file> once (the files do not change while the app runs). */
export function useReport<T>(file: string) {
  return useQuery({
    queryKey: ["report", file],
    enabled: !!file,
    staleTime: Infinity,
    refetchInterval: false,
    queryFn: async () => {
      const res = await fetch(`./reports/${file}`);
      if (!res.ok) throw new Error(`reports/${file}: HTTP ${res.status}`);
      return (await res.json()) as T;
    },
  });
}

export interface Asset {
  symbol: string;
  decimals: number;
}

/** An episode's loan asset and collaterals (null for an episode this build does not know). */
export function assetsOf(episode: string): { loan: Asset; collaterals: Asset[] } | null {
  const e = EPISODES[episode];
  if (!e) return null;
  const pick = (a: Asset): Asset => ({ symbol: a.symbol, decimals: a.decimals });
  return { loan: pick(e.loan), collaterals: e.collaterals.map(pick) };
}

/** Base units (a decimal string) as a number of whole tokens. */
export const whole = (x: string, decimals: number): number => Number(formatUnits(BigInt(x), decimals));

/** The episode a report file holds: "crash-aug2024.json" -> "aug2024". */
export const episodeOfFile = (file: string): string => file.replace(/^(crash|stress|frontier)-|\.json$/g, "");
