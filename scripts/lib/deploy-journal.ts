/**
 * Hardhat Ignition's journal (deploy/deployments/<id>/journal.jsonl) of a deployment being resumed. A send that
 * failed (the deployer ran out of ETH) leaves a TRANSACTION_PREPARE_SEND with a nonce and no transaction: Ignition
 * then refuses to resume with IGN411 ("transaction lost") until `ignition wipe`. When the chain shows that nonce
 * was never used, that line is only a leftover: removing it lets the same command resume and send it again.
 */
import fs from "node:fs";
import path from "node:path";
import type { Provider } from "ethers";

interface JournalLine {
  type: string;
  futureId?: string;
  networkInteractionId?: number;
  nonce?: number;
  transaction?: { hash: string };
}

const journalFile = (dir: string) => path.join(dir, "journal.jsonl");

/** The journal's messages, one JSON text each. */
export function readLines(dir: string): string[] {
  return fs
    .readFileSync(journalFile(dir), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");
}

const key = (m: JournalLine) => `${m.futureId}#${m.networkInteractionId}`;

/**
 * Removes every prepared send that has no transaction and whose nonce the deployer has not used yet (`chainNonce`:
 * its transaction count). Returns the future ids it re-opened. A prepared send whose nonce was used (the transaction
 * landed, but the journal missed it) is kept: Ignition's IGN411 then asks for `ignition track-tx`, as it should.
 */
export function repairJournal(dir: string, chainNonce: number): string[] {
  const lines = readLines(dir);
  const parsed = lines.map((l) => JSON.parse(l) as JournalLine);
  const sent = new Set(parsed.filter((m) => m.type === "TRANSACTION_SEND").map(key));
  const dangling = (m: JournalLine) =>
    m.type === "TRANSACTION_PREPARE_SEND" && !sent.has(key(m)) && (m.nonce ?? -1) >= chainNonce;
  const reopened = parsed.filter(dangling).map((m) => m.futureId!);
  if (reopened.length === 0) return [];
  const kept = lines.filter((_, i) => !dangling(parsed[i]!));
  // Ignition's own layout: each message starts with a newline.
  fs.writeFileSync(journalFile(dir), kept.map((l) => `\n${l}`).join(""));
  return reopened;
}

/** Gas already spent by the journal's mined transactions (from their receipts). */
export async function sentGas(dir: string, provider: Provider): Promise<bigint> {
  let gas = 0n;
  for (const m of readLines(dir).map((l) => JSON.parse(l) as JournalLine)) {
    if (m.type !== "TRANSACTION_SEND" || !m.transaction) continue;
    const receipt = await provider.getTransactionReceipt(m.transaction.hash);
    if (receipt) gas += receipt.gasUsed;
  }
  return gas;
}
