/**
 * Deterministic time while the world is built: every block mined with automine on is stamped one second after the
 * previous one instead of by the wall clock, so the interest accrued before the replay, and with it every figure
 * of the report, does not depend on how fast the machine is. `skip(s)` mines an empty block s seconds later;
 * `release()` restores the provider (the replay mines its blocks at explicit times). The first block is stamped
 * just after the next UTC midnight: what depends on the time of day (the insurance fund's draw windows are
 * aligned to multiples of their length) is then the same in every run, whenever it starts.
 */
import { network } from "hardhat";

type Request = (a: { method: string; params?: unknown[] }) => Promise<unknown>;
type Send = (method: string, params?: unknown[]) => Promise<unknown>;

export interface PinnedClock {
  skip: (seconds: number) => Promise<void>;
  release: () => void;
}

const DAY = 86_400;
const MINING = new Set(["eth_sendTransaction", "eth_sendRawTransaction"]);

export async function pinTimestamps(): Promise<PinnedClock> {
  // ethers (hardhat-ethers) sends through `send`, the replay's own calls through `request`: pin both.
  const provider = network.provider as unknown as { request: Request; send: Send };
  const original: Request = provider.request.bind(provider);
  const originalSend = provider.send;
  const latest = (await original({ method: "eth_getBlockByNumber", params: ["latest", false] })) as {
    timestamp: string;
  };
  let last = Math.ceil((Number(latest.timestamp) + 1) / DAY) * DAY;
  provider.request = async (a) => {
    if (MINING.has(a.method)) {
      last += 1;
      await original({ method: "evm_setNextBlockTimestamp", params: [last] });
    }
    return original(a);
  };
  provider.send = (method, params) => provider.request({ method, params: params ?? [] });
  return {
    skip: async (seconds: number) => {
      last += seconds;
      await original({ method: "evm_mine", params: [last] });
    },
    release: () => {
      provider.request = original;
      provider.send = originalSend;
    },
  };
}
