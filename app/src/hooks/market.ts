/** A market's view with its tokens' symbols and decimals resolved (what every page starts from). */
import { useQueries } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import { tokenQuery, useMarketView, useTokenInfo, type TokenInfo } from "./ballast";

export function useMarket(id: number) {
  const view = useMarketView(id);
  const loan = useTokenInfo(view.data?.loanToken);
  const client = usePublicClient();
  const cols = useQueries({ queries: (view.data?.collaterals ?? []).map((c) => tokenQuery(client, c.token)) });
  const collateralTokens = cols.map((q) => q.data);
  const ready = !!view.data && !!loan.data && collateralTokens.every((t) => !!t);
  return {
    view: view.data,
    loan: loan.data,
    collateralTokens: collateralTokens as TokenInfo[],
    ready,
    error: view.error,
  };
}
