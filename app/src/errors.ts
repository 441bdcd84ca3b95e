/**
 * Every failure in words: the revert data is pulled out of viem's error chain and decoded by the SDK
 * (sdk/errors.ts), so the user reads "Borrow above LTV: ..." and never hex.
 */
import { BaseError } from "viem";
import { decodeError, decodeRevertData, errorsInterface } from "../../sdk/errors";
import type { PredictedRevert } from "../../sdk/preview";

const HEX = /^0x[0-9a-fA-F]{8,}$/;

function rawRevert(err: unknown): string | undefined {
  if (!(err instanceof BaseError)) return undefined;
  let found: string | undefined;
  err.walk((e) => {
    const x = e as { raw?: unknown; data?: unknown };
    if (typeof x.raw === "string" && HEX.test(x.raw)) found ??= x.raw;
    if (typeof x.data === "string" && HEX.test(x.data)) found ??= x.data;
    return false;
  });
  return found;
}

/** A readable sentence for any error a read or a transaction throws. */
export function errorWords(err: unknown): string {
  const raw = rawRevert(err);
  if (raw) return decodeRevertData(raw).message;
  const decoded = decodeError(err);
  if (decoded && decoded.errorName !== "Unknown") return decoded.message;
  if (err instanceof BaseError) return err.shortMessage.replace(/0x[0-9a-fA-F]{10,}/g, "(data)");
  return err instanceof Error ? err.message.replace(/0x[0-9a-fA-F]{10,}/g, "(data)") : String(err);
}

/** The SDK's words for a revert that previewAction predicts (market id and account filled in). */
export function predictedWords(r: PredictedRevert, marketId: bigint, account: string): string {
  const iface = errorsInterface();
  const frag = iface.getError(r.name);
  if (!frag) return r.name;
  const rest = [...r.args];
  const args = frag.inputs.map((p) =>
    p.type === "address" ? account : p.name === "id" ? marketId : (rest.shift() ?? 0n),
  );
  return decodeRevertData(iface.encodeErrorResult(frag, args)).message;
}
