/**
 * Read hooks over the lens and the tokens (TanStack Query + viem, refreshed every 2 s). These are the hooks a
 * dApp reuses: each returns a `useQuery` result whose `data` is the lens's view.
 */
import { useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import type { Abi } from "viem";
import { coreAbi, fundAbi, lensAbi, tokenAbi } from "../abis";
import type { AccruedMarket, MarketView, PositionView, SolvencyView } from "../lens";
import { useRuntime } from "./runtime";
import type { LossTotals } from "../../../sdk/losses";

function useRead<T>(
  key: unknown[],
  address: string | undefined,
  abi: Abi,
  fn: string,
  args: unknown[],
  enabled = true,
) {
  const client = usePublicClient();
  return useQuery({
    queryKey: ["read", address, fn, ...key],
    enabled: enabled && !!client && !!address,
    queryFn: async () =>
      (await client!.readContract({ address: address as `0x${string}`, abi, functionName: fn, args })) as T,
  });
}

/** The lens address from the deployment. */
export function useLensAddress(): string {
  const rt = useRuntime();
  return rt.deployment.contracts.BallastLens!;
}

export function useMarketView(id: number) {
  return useRead<MarketView>([id], useLensAddress(), lensAbi, "market", [BigInt(id)]);
}

export function useAccruedMarket(id: number) {
  return useRead<AccruedMarket>([id], useLensAddress(), lensAbi, "accruedMarket", [BigInt(id)]);
}

export function useSolvency(id: number) {
  return useRead<SolvencyView>([id], useLensAddress(), lensAbi, "solvency", [BigInt(id)]);
}

/** Cumulative bad-debt figures of a market and their split (the SDK's type: summed from `BadDebtRealized`). */
export type { LossTotals };

/** The market's loss totals, summed from the core's `BadDebtRealized` events (the core keeps no running totals). */
export function useLossTotals(id: number) {
  const client = usePublicClient();
  const rt = useRuntime();
  const core = rt.deployment.contracts.BallastCore;
  return useQuery({
    queryKey: ["losses", core, id],
    enabled: !!client && !!core,
    queryFn: async (): Promise<LossTotals> => {
      const logs = await client!.getContractEvents({
        address: core as `0x${string}`,
        abi: coreAbi,
        eventName: "BadDebtRealized",
        args: { id: BigInt(id) },
        fromBlock: BigInt(rt.deployment.block ?? 0),
      });
      const t: LossTotals = { badDebtRealized: 0n, fromReserves: 0n, fromInsurance: 0n, socialized: 0n };
      for (const log of logs) {
        const a = (log as unknown as { args: Record<string, bigint> }).args;
        t.badDebtRealized += a.amount!;
        t.fromReserves += a.fromReserves!;
        t.fromInsurance += a.fromInsurance!;
        t.socialized += a.socialized!;
      }
      return t;
    },
  });
}

export function usePositionView(id: number, user: string | undefined) {
  return useRead<PositionView>([id, user], useLensAddress(), lensAbi, "position", [BigInt(id), user], !!user);
}

export interface TokenInfo {
  address: `0x${string}`;
  symbol: string;
  decimals: number;
}

/** The query for a token's symbol and decimals (cached for the session). */
export function tokenQuery(client: ReturnType<typeof usePublicClient>, token: string | undefined) {
  return {
    queryKey: ["token", token],
    enabled: !!client && !!token,
    staleTime: Infinity,
    refetchInterval: false as const,
    queryFn: async (): Promise<TokenInfo> => {
      const address = token as `0x${string}`;
      const [symbol, decimals] = await Promise.all([
        client!.readContract({ address, abi: tokenAbi, functionName: "symbol" }) as Promise<string>,
        client!.readContract({ address, abi: tokenAbi, functionName: "decimals" }) as Promise<number>,
      ]);
      return { address, symbol, decimals: Number(decimals) };
    },
  };
}

export function useTokenInfo(token: string | undefined) {
  return useQuery(tokenQuery(usePublicClient(), token));
}

export function useBalance(token: string | undefined, owner: string | undefined) {
  return useRead<bigint>([owner], token, tokenAbi, "balanceOf", [owner], !!owner);
}

export function useAllowance(token: string | undefined, owner: string | undefined, spender: string | undefined) {
  return useRead<bigint>([owner, spender], token, tokenAbi, "allowance", [owner, spender], !!owner && !!spender);
}

/** A fund's figures for one staker: gross assets, share price, stake and unstake window. */
export function useFund(fund: string | undefined, staker: string | undefined) {
  const client = usePublicClient();
  return useQuery({
    queryKey: ["fund", fund, staker],
    enabled: !!client && !!fund,
    queryFn: async () => {
      const read = (functionName: string, args: unknown[] = []) =>
        client!.readContract({ address: fund as `0x${string}`, abi: fundAbi, functionName, args });
      const decimals = Number(await read("decimals"));
      const [grossAssets, totalAssets, totalSupply, oneShare, maxDraw, cooldown, window] = (await Promise.all([
        read("grossAssets"),
        read("totalAssets"),
        read("totalSupply"),
        read("convertToAssets", [10n ** BigInt(decimals)]),
        read("maxDraw"),
        read("cooldownPeriod"),
        read("unstakeWindow"),
      ])) as bigint[];
      const shares = staker ? ((await read("balanceOf", [staker])) as bigint) : 0n;
      const mine = staker
        ? ((await Promise.all([
            read("convertToAssets", [shares]),
            read("maxWithdraw", [staker]),
            read("unstakeWindowOf", [staker]),
          ])) as [bigint, bigint, readonly [bigint, bigint]])
        : null;
      return {
        decimals,
        grossAssets: grossAssets!,
        totalAssets: totalAssets!,
        totalSupply: totalSupply!,
        sharePrice: oneShare!,
        maxDraw: maxDraw!,
        cooldown: cooldown!,
        unstakeWindow: window!,
        shares,
        stakeAssets: mine?.[0] ?? 0n,
        withdrawable: mine?.[1] ?? 0n,
        windowOpens: mine?.[2][0] ?? 0n,
        windowCloses: mine?.[2][1] ?? 0n,
      };
    },
  });
}

/** The latest block's timestamp (seconds), for dates relative to the chain's clock. */
export function useChainTime() {
  const client = usePublicClient();
  return useQuery({
    queryKey: ["chainTime"],
    enabled: !!client,
    queryFn: async () => (await client!.getBlock()).timestamp,
  });
}

/** GET a path of the indexer's HTTP API. */
export function useIndexer<T>(path: string, enabled = true) {
  const rt = useRuntime();
  return useQuery({
    queryKey: ["indexer", path],
    enabled,
    queryFn: async () => {
      const res = await fetch(`${rt.indexerUrl}${path}`);
      if (!res.ok) throw new Error(`indexer ${path}: HTTP ${res.status}`);
      return (await res.json()) as T;
    },
  });
}
