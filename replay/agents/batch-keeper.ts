/**
 * The replay's keeper class: the service's Keeper (keeper/keeper.ts), except that the positions its event scan
 * marks as changed are re-read in one batched eth_call per block (world/reader.ts) instead of one call each.
 */
import { Keeper, type KeeperOptions, type TrackedPosition } from "../../keeper/keeper";
import { batchRead } from "../world/reader";

interface Waiting {
  borrower: string;
  resolve: (p: TrackedPosition) => void;
  reject: (e: unknown) => void;
}

export class BatchKeeper extends Keeper {
  private queue: Waiting[] = [];

  constructor(
    opts: KeeperOptions,
    private readonly reader: string,
  ) {
    super(opts);
  }

  /** Queues the read; every refresh asked for in the same tick goes out in one batch. */
  override refresh(borrower: string): Promise<TrackedPosition> {
    return new Promise((resolve, reject) => {
      this.queue.push({ borrower, resolve, reject });
      if (this.queue.length === 1) queueMicrotask(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0);
    const { core, marketId } = this.opts;
    const iface = core.interface;
    try {
      const calls = batch.map((w) => iface.encodeFunctionData("position", [marketId, w.borrower]));
      const rets = await batchRead(this.reader, await core.getAddress(), calls);
      batch.forEach((w, i) => {
        const [, borrowShares, shortfall, cols] = iface.decodeFunctionResult("position", rets[i]!);
        const p: TrackedPosition = {
          borrower: w.borrower,
          borrowShares: borrowShares as bigint,
          shortfall: shortfall as bigint,
          collateral: [...(cols as bigint[])],
        };
        this.positions.set(w.borrower, p);
        w.resolve(p);
      });
    } catch (e) {
      for (const w of batch) w.reject(e);
    }
  }
}
