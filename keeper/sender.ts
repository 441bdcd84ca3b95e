/**
 * The keeper's fire-and-forget sends (the crash replay's load): on an unlocked dev-node account a raw
 * eth_sendTransaction (no client-side signing, nonce or estimate round trips), else a signed transaction with a
 * locally tracked nonce; without fire-and-forget, a transaction waited for.
 */
import type { Provider, Signer } from "ethers";
import type { KeeperOptions } from "./types";

const hex = (x: bigint) => "0x" + x.toString(16);

export class RawSender {
  private readonly nonces = new Map<string, number>();

  constructor(
    private readonly provider: Provider,
    private readonly opts: Pick<KeeperOptions, "fireAndForget" | "rawSend" | "gasLimit">,
    private readonly rpc: <T>(method: string, params: unknown[]) => Promise<T>,
  ) {}

  async sendRaw(signer: Signer, to: string, data: string, tip?: bigint): Promise<string> {
    const from = await signer.getAddress();
    if (this.opts.fireAndForget && this.opts.rawSend) {
      // Unlocked account of a dev node: no client-side signing, nonce or estimate round trips.
      const fee =
        tip !== undefined ? { maxPriorityFeePerGas: hex(tip), maxFeePerGas: hex(1000n * 10n ** 9n + tip) } : {};
      return this.rpc<string>("eth_sendTransaction", [
        { from, to, data, gas: hex(this.opts.gasLimit ?? 3_000_000n), ...fee },
      ]);
    }
    if (this.opts.fireAndForget) {
      const tx = await signer.sendTransaction({
        to,
        data,
        nonce: await this.nextNonce(from),
        gasLimit: this.opts.gasLimit ?? 3_000_000n,
        ...(tip !== undefined ? { maxPriorityFeePerGas: tip, maxFeePerGas: 1000n * 10n ** 9n + tip } : {}),
      });
      return tx.hash;
    }
    const tx = await signer.sendTransaction({ to, data });
    await tx.wait();
    return tx.hash;
  }

  private async nextNonce(from: string): Promise<number> {
    const known = this.nonces.get(from);
    const chain = await this.provider.getTransactionCount(from, "pending");
    const n = known === undefined ? chain : Math.max(known, chain);
    this.nonces.set(from, n + 1);
    return n;
  }
}
