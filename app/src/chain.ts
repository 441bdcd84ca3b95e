/**
 * wagmi configuration: the deployment's chain over the configured RPC, an injected wallet (MetaMask) and, on a
 * local chain only, a test wallet holding Hardhat's public test accounts (the node signs for them).
 */
import { createConfig, http, type CreateConnectorFn } from "wagmi";
import { injected, mock } from "wagmi/connectors";
import { defineChain, type Chain } from "viem";
import type { RuntimeConfig } from "./runtime";

/** Hardhat's public test accounts #0-#9 ("test test ... junk"). Never fund them on a real chain. */
export const HARDHAT_ACCOUNTS = [
  "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
  "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
  "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
  "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
  "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
  "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
] as const;

export const LOCAL_CHAIN_ID = 31337;

export function chainOf(rt: RuntimeConfig): Chain {
  return defineChain({
    id: rt.deployment.chainId,
    name: rt.deployment.chainId === LOCAL_CHAIN_ID ? "Local node" : rt.deployment.network,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rt.rpcUrl] } },
  });
}

/** The local-only test-wallet connector for one Hardhat account (by index). */
export function testWallet(index: number): CreateConnectorFn {
  const account = HARDHAT_ACCOUNTS[index] ?? HARDHAT_ACCOUNTS[1];
  return mock({ accounts: [account], features: { reconnect: true } });
}

export function wagmiConfig(rt: RuntimeConfig) {
  const chain = chainOf(rt);
  return createConfig({
    chains: [chain],
    connectors: [injected()],
    transports: { [chain.id]: http(rt.rpcUrl, { batch: true }) },
    pollingInterval: 1_000,
  });
}
