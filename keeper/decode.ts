/** A revert as `Name(args)`, decoded with the first of `ifaces` that knows it; else the error's short message. */
import type { Interface } from "ethers";

export function decodeRevert(e: unknown, ifaces: (Interface | undefined)[]): string {
  const err = e as { data?: string; info?: { error?: { data?: string } }; shortMessage?: string; message?: string };
  const data = err?.data ?? err?.info?.error?.data;
  if (typeof data === "string" && data.length >= 10) {
    for (const iface of ifaces) {
      if (!iface) continue;
      try {
        const parsed = iface.parseError(data);
        if (parsed) return `${parsed.name}(${parsed.args.map(String).join(",")})`;
      } catch {
        // not this ABI
      }
    }
    return `revert ${data.slice(0, 10)}`;
  }
  return err?.shortMessage ?? err?.message ?? String(e);
}
