/**
 * Storage-access counts of one mined transaction, from `debug_traceTransaction` (struct logs) on the Hardhat network:
 * - coldSloads: SLOAD or SSTORE of a (storage address, slot) pair not yet accessed in the transaction (EIP-2929 cold
 *   slots; a DELEGATECALL runs on its caller's storage, so a library's accesses count for the core);
 * - sstoresFromZero: SSTOREs charged 20,000 (EIP-2200: the slot's value at the start of the transaction is zero, it
 *   is still zero, and the write makes it non-zero).
 */
import { network } from "hardhat";

interface StructLog {
  op: string;
  gas: number;
  depth: number;
  gasCost: number;
  stack?: string[];
}

export interface StorageCounts {
  coldSloads: number;
  sstoresFromZero: number;
}

const CALLS_WITH_OWN_STORAGE = new Set(["CALL", "STATICCALL"]);
const SSTORE_SET_GAS = 20_000;

function word(stack: string[], fromTop: number): bigint {
  const v = stack[stack.length - 1 - fromTop]!;
  return BigInt(v.startsWith("0x") ? v : `0x${v}`);
}

/**
 * Counts cold storage accesses and zero-to-non-zero writes of transaction `hash` (sent to `to`); with `only`, just
 * those in that contract's storage (a library's DELEGATECALL counts for its caller).
 */
export async function storageCounts(hash: string, to: string, only?: string): Promise<StorageCounts> {
  const trace = (await network.provider.send("debug_traceTransaction", [
    hash,
    { disableMemory: true, disableStorage: true },
  ])) as { structLogs: StructLog[] };
  const accessed = new Set<string>();
  const contexts: string[] = [to.toLowerCase()];
  let pendingCallee: string | undefined;
  let coldSloads = 0;
  let sstoresFromZero = 0;
  const detail: string[] = [];
  const callGas: number[] = [];
  for (const log of trace.structLogs) {
    while (callGas.length >= log.depth) detail.push(`  return d${log.depth} used ${callGas.pop()! - log.gas}`);
    // One storage context per call depth: entered with the callee of the last call, left when the depth drops.
    if (log.depth > contexts.length) contexts.push(pendingCallee ?? contexts[contexts.length - 1]!);
    while (contexts.length > log.depth) contexts.pop();
    const stack = log.stack ?? [];
    const context = contexts[contexts.length - 1]!;
    if ((log.op === "SLOAD" || log.op === "SSTORE") && (only === undefined || context === only.toLowerCase())) {
      const key = `${context}:${word(stack, 0).toString(16)}`;
      if (!accessed.has(key)) {
        coldSloads++;
        detail.push(`cold ${log.op} ${key}`);
      }
      accessed.add(key);
      if (log.op === "SSTORE") detail.push(`  SSTORE ${key} ${log.gasCost}`);
      if (log.op === "SSTORE" && log.gasCost >= SSTORE_SET_GAS) sstoresFromZero++;
    }
    if (["CALL", "STATICCALL", "DELEGATECALL"].includes(log.op))
      while (callGas.length < log.depth) callGas.push(log.gas);
    if (["CALL", "STATICCALL", "DELEGATECALL", "LOG1", "LOG2", "LOG3", "LOG4"].includes(log.op)) {
      detail.push(
        `${log.op} d${log.depth} ${log.op.startsWith("LOG") ? "" : word(stack, 1).toString(16)} cost ${log.gasCost}`,
      );
    }
    if (CALLS_WITH_OWN_STORAGE.has(log.op)) pendingCallee = `0x${word(stack, 1).toString(16).padStart(40, "0")}`;
    else if (log.op === "DELEGATECALL" || log.op === "CALLCODE") pendingCallee = contexts[contexts.length - 1];
  }
  if (process.env.GAS_TRACE) console.log(`--- ${hash}\n${detail.join("\n")}`);
  return { coldSloads, sstoresFromZero };
}
