/**
 * Ballast SDK: what a dApp, wallet or keeper imports.
 * - math: pure bigint mirrors of the contracts' math (same names, same roundings).
 * - errors: decoding of every protocol revert into typed errors with readable messages.
 * - client: BallastClient over any ethers v6 Provider or Signer.
 * - addresses: deployment addresses per chain id.
 * - position: a lens position's health factor as `undefined` when it cannot be priced (never 0).
 * - multicall and authorization: bundles of core calls in one transaction; setAuthorizationWithSig signatures.
 * - contracts: the TypeChain types and factories of the protocol's contracts (ABIs included; no test mocks).
 */
export * from "./math";
export * from "./errors";
export * from "./client";
export * from "./addresses";
export * from "./multicall";
export * from "./authorization";
export * from "./position";
export * from "./contracts";
export * from "./preview";
export * from "./apy";
export * from "./losses";
