/**
 * The venue the keeper's flash mode quotes: the Uniswap v3 QuoterV2 and pools of the network, read from the
 * deployment (deployments/<network>.json `uniswap`, written by every deploy) or, for a file written before that,
 * from the network's deploy config (deploy/config/<network>.ts). The profit check then prices each sale at the real
 * pool on every network, not at the oracle.
 */
import type { Provider } from "ethers";
import type { Deployment, DeploymentVenue } from "../deployments/types";
import { configFor } from "../deploy/config";
import { uniswapQuote } from "./quote-uniswap";
import type { QuoteFn } from "./strategy";

/** The deployment's venue, else its network config's existing Uniswap; undefined when neither has one. */
export function venueOf(d: Deployment): DeploymentVenue | undefined {
  if (d.uniswap) return d.uniswap;
  let u;
  try {
    u = configFor(d.network).uniswap;
  } catch {
    return undefined; // a network without a deploy config
  }
  if (u?.kind !== "existing") return undefined;
  return {
    factory: u.factory,
    quoterV2: u.quoterV2,
    pools: u.pools.map(({ collateral, loan, fee }) => ({ collateral, loan, fee })),
  };
}

/** Fee tier by token pair (lower-case addresses, both directions) of the venue's pools whose tokens are deployed. */
export function poolFees(d: Deployment, venue: DeploymentVenue): Map<string, number> {
  const fees = new Map<string, number>();
  for (const p of venue.pools) {
    const [a, b] = [d.contracts[p.collateral], d.contracts[p.loan]];
    if (!a || !b) continue;
    fees.set(`${a.toLowerCase()}/${b.toLowerCase()}`, p.fee);
    fees.set(`${b.toLowerCase()}/${a.toLowerCase()}`, p.fee);
  }
  return fees;
}

/** The QuoteFn of the deployment's venue: its QuoterV2 over the listed pools; undefined when it lists none. */
export function venueQuote(provider: Provider, d: Deployment): { quote: QuoteFn; venue: DeploymentVenue } | undefined {
  const venue = venueOf(d);
  if (!venue) return undefined;
  const fees = poolFees(d, venue);
  if (fees.size === 0) return undefined;
  return { quote: uniswapQuote(provider, venue.quoterV2, (i, o) => fees.get(`${i}/${o}`)), venue };
}
