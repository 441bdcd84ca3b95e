/**
 * Ballast SDK: what a dApp, wallet or keeper imports.
 * - math: pure bigint mirrors of the contracts' math (same names, same roundings).
 * - errors: decoding of every protocol revert into typed errors with readable messages.
 * - client: BallastClient over any ethers v6 Provider or Signer.
 * - addresses: deployment addresses per chain id.
 * - the TypeChain contract types and factories (ABIs included).
 */
export * from "./math";
export * from "./errors";
export * from "./client";
export * from "./addresses";
export * from "../typechain-types";
export * from "./preview";
export * from "./apy";
