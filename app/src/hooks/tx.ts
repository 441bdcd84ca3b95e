/**
 * Sends one contract call: simulates it first (a revert is shown in words before the wallet opens), sends it,
 * waits for the receipt and refreshes every query.
 */
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useConfig } from "wagmi";
import { simulateContract, waitForTransactionReceipt, writeContract } from "wagmi/actions";
import type { Abi } from "viem";
import { errorWords } from "../errors";

export interface Call {
  address: string;
  abi: Abi;
  functionName: string;
  args: unknown[];
}

export type TxState =
  | { status: "idle" }
  | { status: "pending"; label: string }
  | { status: "done"; label: string; hash: string }
  | { status: "error"; label: string; message: string };

export function useTx(account: string | undefined) {
  const config = useConfig();
  const qc = useQueryClient();
  const [state, setState] = useState<TxState>({ status: "idle" });
  const send = async (label: string, call: Call): Promise<boolean> => {
    setState({ status: "pending", label });
    try {
      const { request } = await simulateContract(config, {
        ...call,
        address: call.address as `0x${string}`,
        account: account as `0x${string}`,
      });
      const hash = await writeContract(config, request);
      const receipt = await waitForTransactionReceipt(config, { hash });
      if (receipt.status !== "success") throw new Error(`${label} reverted`);
      await qc.invalidateQueries();
      setState({ status: "done", label, hash });
      return true;
    } catch (e) {
      setState({ status: "error", label, message: errorWords(e) });
      return false;
    }
  };
  return { state, send, reset: () => setState({ status: "idle" }) };
}
