/**
 * `setAuthorizationWithSig`: an account authorizes another (a periphery contract, a bot) to act for it by signing
 * EIP-712 typed data (domain "Ballast", version "1", the chain id, the core) instead of sending a transaction;
 * anyone can then relay the signature.
 */
import { Contract, Signature, type Provider, type Signer } from "ethers";
import type { PreparedCall } from "./client";

/** The EIP-712 type the core checks (ConfigLogic.AUTHORIZATION_TYPEHASH). */
export const AUTHORIZATION_TYPES = {
  Authorization: [
    { name: "authorizer", type: "address" },
    { name: "authorized", type: "address" },
    { name: "isAuthorized", type: "bool" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** A signed authorization, ready to relay. */
export interface SignedAuthorization {
  authorization: { authorizer: string; authorized: string; isAuthorized: boolean; nonce: bigint; deadline: bigint };
  v: number;
  r: string;
  s: string;
}

const CORE_ABI = [
  "function nonce(address authorizer) view returns (uint256)",
  "function setAuthorizationWithSig((address authorizer, address authorized, bool isAuthorized, uint256 nonce, uint256 deadline) a, uint8 v, bytes32 r, bytes32 s)",
];

/**
 * Signs an authorization with the authorizer's signer (its next nonce is read from the core).
 * @param core The BallastCore address.
 * @param signer The authorizer.
 * @param authorized Who may act for the authorizer (or may no longer, with `isAuthorized` false).
 * @param deadline Unix time after which the signature is refused.
 */
export async function signAuthorization(
  core: string,
  signer: Signer,
  authorized: string,
  isAuthorized: boolean,
  deadline: bigint,
): Promise<SignedAuthorization> {
  const provider = signer.provider as Provider | null;
  if (!provider) throw new Error("signAuthorization: the signer needs a provider");
  const authorizer = await signer.getAddress();
  const nonce = (await new Contract(core, CORE_ABI, provider).getFunction("nonce")(authorizer)) as bigint;
  const { chainId } = await provider.getNetwork();
  const authorization = { authorizer, authorized, isAuthorized, nonce, deadline };
  const domain = { name: "Ballast", version: "1", chainId, verifyingContract: core };
  const sig = Signature.from(await signer.signTypedData(domain, AUTHORIZATION_TYPES, authorization));
  return { authorization, v: sig.v, r: sig.r, s: sig.s };
}

/** The relay transaction of a signed authorization (any account may send it). */
export function buildSetAuthorizationWithSig(core: string, signed: SignedAuthorization): PreparedCall {
  const a = signed.authorization;
  return {
    description: `${a.isAuthorized ? "authorize" : "revoke"} ${a.authorized} for ${a.authorizer} (signed)`,
    to: core,
    data: new Contract(core, CORE_ABI).interface.encodeFunctionData("setAuthorizationWithSig", [
      [a.authorizer, a.authorized, a.isAuthorized, a.nonce, a.deadline],
      signed.v,
      signed.r,
      signed.s,
    ]),
  };
}
