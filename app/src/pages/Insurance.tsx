/** Insurance: stake, start a cooldown, unstake inside the window (dates on the chain's clock); share price and draws. */
import { useState } from "react";
import { useAccount } from "wagmi";
import { fundAbi, tokenAbi } from "../abis";
import { Stat } from "../components/Stat";
import { TxStatus } from "../components/TxStatus";
import { useAllowance, useChainTime, useFund, useIndexer, useTokenInfo } from "../hooks/ballast";
import { useRuntime } from "../hooks/runtime";
import { useTx } from "../hooks/tx";
import { fmtAmount, fmtDate, parseAmount } from "../format";

export function Insurance() {
  const rt = useRuntime();
  return (
    <section aria-labelledby="insurance-title">
      <h1 id="insurance-title">Insurance</h1>
      <p className="muted">
        Stakers cover bad debt after the market's reserves, capped per event and per rolling window. To unstake, start a
        cooldown; withdrawals open when it ends and stay open for the unstake window.
      </p>
      {rt.deployment.markets.map((m) => (
        <FundCard
          key={m.id}
          id={m.id}
          fund={rt.deployment.contracts[m.insuranceFund]!}
          loanToken={rt.deployment.contracts[m.loan]!}
        />
      ))}
    </section>
  );
}

interface Draw {
  id: string;
  kind: string;
  assets: string;
  fromPremium: string;
  timestamp: string;
}

function FundCard({ id, fund, loanToken }: { id: number; fund: string; loanToken: string }) {
  const { address } = useAccount();
  const f = useFund(fund, address).data;
  const token = useTokenInfo(loanToken).data;
  const now = useChainTime().data;
  const events = useIndexer<{ events: Draw[] }>(`/api/funds/${fund}`).data?.events ?? [];
  const draws = events.filter((e) => e.kind === "draw");
  if (!f || !token) return <p aria-busy="true">Loading fund {id}…</p>;
  const amt = (x: bigint) => `${fmtAmount(x, token.decimals, 2)} ${token.symbol}`;
  const open = now !== undefined && f.windowOpens > 0n && now >= f.windowOpens && now < f.windowCloses;
  return (
    <article className="card" data-testid={`fund-${id}`} data-ready="true">
      <h2>
        Market {id} fund ({token.symbol})
      </h2>
      <dl className="stats">
        <Stat label="Gross assets" value={amt(f.grossAssets)} />
        <Stat
          label="Share price"
          value={`${fmtAmount(f.sharePrice, token.decimals, 6)} ${token.symbol} per share`}
          testId={`share-price-${id}`}
        />
        <Stat label="Can pay one event now" value={amt(f.maxDraw)} />
        <Stat
          label="Cooldown / unstake window"
          value={`${Number(f.cooldown) / 86400} d / ${Number(f.unstakeWindow) / 86400} d`}
        />
        <Stat
          label="Draws so far"
          value={`${draws.length} (${amt(draws.reduce((s, d) => s + BigInt(d.assets), 0n))})`}
          testId={`draws-${id}`}
        />
      </dl>
      {address ? (
        <>
          <dl className="stats">
            <Stat label="Your stake" value={amt(f.stakeAssets)} testId={`stake-${id}`} />
            <Stat
              label="Unstake window"
              value={
                f.windowOpens === 0n
                  ? "no cooldown started"
                  : `${fmtDate(f.windowOpens)} → ${fmtDate(f.windowCloses)}${open ? " (open now)" : ""}`
              }
              testId={`window-${id}`}
            />
          </dl>
          <StakeForm
            fund={fund}
            token={token}
            account={address}
            shares={f.shares}
            withdrawable={f.withdrawable}
            open={open}
          />
        </>
      ) : (
        <p>Connect a wallet to stake.</p>
      )}
    </article>
  );
}

function StakeForm(props: {
  fund: string;
  token: { address: `0x${string}`; symbol: string; decimals: number };
  account: `0x${string}`;
  shares: bigint;
  withdrawable: bigint;
  open: boolean;
}) {
  const { fund, token, account, shares, open } = props;
  const [text, setText] = useState("");
  const tx = useTx(account);
  const amount = parseAmount(text, token.decimals);
  const allowance = useAllowance(token.address, account, fund).data ?? 0n;
  const busy = tx.state.status === "pending";
  const call = (label: string, functionName: string, args: unknown[]) =>
    tx.send(label, { address: fund, abi: fundAbi, functionName, args });
  return (
    <form className="inline-form" onSubmit={(e) => e.preventDefault()}>
      <label>
        Amount ({token.symbol}) <input inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      {amount && allowance < amount ? (
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void tx.send(`Approve ${token.symbol}`, {
              address: token.address,
              abi: tokenAbi,
              functionName: "approve",
              args: [fund, amount],
            })
          }
        >
          Approve
        </button>
      ) : null}
      <button
        type="button"
        disabled={busy || !amount || allowance < amount}
        onClick={() => void call("Stake", "deposit", [amount, account])}
      >
        Stake
      </button>
      <button
        type="button"
        disabled={busy || shares === 0n}
        title="Puts every share you hold in cooldown"
        onClick={() => void call("Start cooldown", "cooldown", [shares])}
      >
        Start cooldown
      </button>
      <button
        type="button"
        disabled={busy || !open || !amount}
        title={open ? undefined : "Only inside the unstake window"}
        onClick={() => void call("Unstake", "withdraw", [amount, account, account])}
      >
        Unstake
      </button>
      <button
        type="button"
        disabled={busy || !open || shares === 0n}
        title={open ? undefined : "Only inside the unstake window"}
        onClick={() => void call("Unstake all", "redeem", [shares, account, account])}
      >
        Unstake all
      </button>
      <TxStatus state={tx.state} />
    </form>
  );
}
