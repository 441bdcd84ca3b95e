/**
 * Multicall bundles: the core inherits OpenZeppelin's Multicall (`multicall(bytes[])`, each call delegate-called with
 * the original sender, so authorizations hold), so several core actions of one account can be one transaction:
 * e.g. supply collateral and borrow, repay everything and withdraw the collateral.
 */
import { Interface } from "ethers";
import type { PreparedCall } from "./client";

const MULTICALL = new Interface(["function multicall(bytes[] data) returns (bytes[] results)"]);

/**
 * Bundles the core calls among `calls` into one `multicall` transaction, after every other call (the approvals the
 * builders add, which must be mined first). Order among the core calls is kept; a single core call is left as is.
 * @param core The BallastCore address.
 * @param calls Prepared calls, e.g. `[...await c.buildSupplyCollateral(...), ...await c.buildBorrow(...)]`.
 * @returns The calls to send in order: approvals (and other non-core calls), then the bundle.
 */
export function bundleCalls(core: string, calls: readonly PreparedCall[]): PreparedCall[] {
  const isCore = (c: PreparedCall) => c.to.toLowerCase() === core.toLowerCase();
  const coreCalls = calls.filter(isCore);
  if (coreCalls.length <= 1) return [...calls];
  return [
    ...calls.filter((c) => !isCore(c)),
    {
      description: `multicall: ${coreCalls.map((c) => c.description).join("; ")}`,
      to: core,
      data: MULTICALL.encodeFunctionData("multicall", [coreCalls.map((c) => c.data)]),
    },
  ];
}
