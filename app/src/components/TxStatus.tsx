import type { TxState } from "../hooks/tx";

/** The last transaction's outcome; a failure is in words (SDK decoding). */
export function TxStatus({ state }: { state: TxState }) {
  if (state.status === "idle") return null;
  if (state.status === "pending")
    return (
      <p role="status" data-testid="tx-status">
        {state.label}: waiting for the wallet and the chain…
      </p>
    );
  if (state.status === "done")
    return (
      <p role="status" data-testid="tx-status" className="good">
        {state.label}: confirmed ({state.hash.slice(0, 10)}…)
      </p>
    );
  return (
    <p role="alert" data-testid="tx-error" className="bad">
      {state.label} failed: {state.message}
    </p>
  );
}
