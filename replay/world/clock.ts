/**
 * Deterministic time while the world is built: every block mined with automine on is stamped one second after the
 * previous one instead of by the wall clock, so the interest accrued before the replay, and with it every figure
 * of the report, does not depend on how fast the machine is. `skip(s)` mines an empty block s seconds later;
 * `release()` restores the provider (the replay mines its blocks at explicit times).
 */
import { network } from "hardhat";

type Request = (a: { method: string; params?: unknown[] }) => Promise<unknown>;

export interface PinnedClock {
  skip: (seconds: number) => Promise<void>;
  release: () => void;
}

const MINING = new Set(["eth_sendTransaction", "eth_sendRawTransaction"]);

export async function pinTimestamps(): Promise<PinnedClock> {
  const provider = network.provider as { request: Request };
  const original: Request = provider.request.bind(provider);
  const latest = (await original({ method: "eth_getBlockByNumber", params: ["latest", false] })) as {
    timestamp: string;
  };
  let last = Number(latest.timestamp);
  provider.request = async (a) => {
    if (MINING.has(a.method)) {
      last += 1;
      await original({ method: "evm_setNextBlockTimestamp", params: [last] });
    }
    return original(a);
  };
  return {
    skip: async (seconds: number) => {
      last += seconds;
      await original({ method: "evm_mine", params: [last] });
    },
    release: () => {
      provider.request = original;
    },
  };
}
