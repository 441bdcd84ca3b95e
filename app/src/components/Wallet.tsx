/**
 * Connect an injected wallet (MetaMask) or, on a local node only, a Hardhat test account. The injected button is
 * shown only when the browser has a wallet: one per wallet announced (EIP-6963), else the generic one when
 * `window.ethereum` exists; without either, a line says so.
 */
import { useState } from "react";
import { useAccount, useConnect, useDisconnect, type Connector } from "wagmi";
import { HARDHAT_ACCOUNTS, LOCAL_CHAIN_ID, testWallet } from "../chain";
import { useRuntime } from "../hooks/runtime";

export function Wallet() {
  const rt = useRuntime();
  const { address, connector } = useAccount();
  const { connect, connectors, error } = useConnect();
  const { disconnect } = useDisconnect();
  const [index, setIndex] = useState(1);
  const local = rt.deployment.chainId === LOCAL_CHAIN_ID;
  if (address) {
    return (
      <div className="wallet">
        <span data-testid="account" title={address}>
          {connector?.id === "mock" ? <mark className="local">TEST WALLET · local only</mark> : null}{" "}
          {address.slice(0, 6)}…{address.slice(-4)}
        </span>
        <button onClick={() => disconnect()}>Disconnect</button>
      </div>
    );
  }
  const wallets = injectedWallets(connectors);
  return (
    <div className="wallet">
      {wallets.length ? (
        wallets.map((c) => (
          <button key={c.uid} onClick={() => connect({ connector: c })}>
            Connect {c.id === "injected" ? "browser wallet" : c.name}
          </button>
        ))
      ) : (
        <span className="muted" data-testid="no-injected">
          No browser wallet found (install MetaMask to connect one)
        </span>
      )}
      {local ? (
        <span className="local-only">
          <label>
            Test account{" "}
            <select value={index} onChange={(e) => setIndex(Number(e.target.value))}>
              {HARDHAT_ACCOUNTS.map((a, i) => (
                <option key={a} value={i}>
                  #{i} {a.slice(0, 8)}…
                </option>
              ))}
            </select>
          </label>
          <button onClick={() => connect({ connector: testWallet(index) })}>Use test wallet (local only)</button>
        </span>
      ) : null}
      {error ? <span role="alert">{error.message}</span> : null}
    </div>
  );
}

/** The wallets this browser has: those announced by EIP-6963, else the generic injected one if `window.ethereum` is set. */
function injectedWallets(connectors: readonly Connector[]): Connector[] {
  const injected = connectors.filter((c) => c.type === "injected");
  const announced = injected.filter((c) => c.id !== "injected");
  if (announced.length) return announced;
  const hasProvider = typeof window !== "undefined" && !!(window as { ethereum?: unknown }).ethereum;
  return hasProvider ? injected : [];
}
