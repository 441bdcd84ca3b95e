/** Connect an injected wallet (MetaMask) or, on a local node only, a Hardhat test account. */
import { useState } from "react";
import { useAccount, useConnect, useDisconnect } from "wagmi";
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
  const injected = connectors.find((c) => c.type === "injected");
  return (
    <div className="wallet">
      {injected ? <button onClick={() => connect({ connector: injected })}>Connect wallet</button> : null}
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
