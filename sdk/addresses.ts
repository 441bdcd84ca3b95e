/**
 * Deployment addresses per chain id. Deployments write `deployments/<network>.json` files shaped
 * `{ chainId, block, contracts: { name: address } }`; these functions validate such objects, index them by chain
 * id, and (in Node) load every file of a folder. Browser bundles can import the JSON files themselves and pass the
 * objects to {@link buildAddressBook}.
 */
import { getAddress } from "ethers";

/** One deployment, validated: addresses are checksummed. */
export interface BallastAddresses {
  /** Chain id. */
  chainId: bigint;
  /** Block of the deployment (0 if unknown). */
  block: number;
  /** Contract addresses by name, e.g. BallastCore, BallastLens, "InsuranceFund:1". */
  contracts: Record<string, string>;
  /** Network name, when known (the file name without ".json"). */
  network?: string;
}

/** Deployments indexed by chain id (as a decimal string). */
export type AddressBook = Record<string, BallastAddresses>;

/**
 * Validates one deployment object (`{ chainId, block, contracts }`) and checksums its addresses.
 * @param raw The parsed JSON.
 * @param network Network name to record (optional).
 * @throws Error with a clear message when a field is missing or an address is invalid.
 */
export function parseDeployment(raw: unknown, network?: string): BallastAddresses {
  const where = network ? `deployment "${network}"` : "deployment";
  if (typeof raw !== "object" || raw === null) throw new Error(`${where}: not an object`);
  const o = raw as Record<string, unknown>;
  const chainIdRaw = o.chainId;
  if (
    !(typeof chainIdRaw === "number" || typeof chainIdRaw === "string" || typeof chainIdRaw === "bigint") ||
    String(chainIdRaw) === ""
  ) {
    throw new Error(`${where}: chainId missing`);
  }
  let chainId: bigint;
  try {
    chainId = BigInt(chainIdRaw);
  } catch {
    throw new Error(`${where}: chainId ${String(chainIdRaw)} is not an integer`);
  }
  const block = o.block === undefined ? 0 : Number(o.block);
  if (!Number.isInteger(block) || block < 0) throw new Error(`${where}: block ${String(o.block)} is invalid`);
  if (typeof o.contracts !== "object" || o.contracts === null) throw new Error(`${where}: contracts missing`);
  const contracts: Record<string, string> = {};
  for (const [name, addr] of Object.entries(o.contracts as Record<string, unknown>)) {
    if (typeof addr !== "string") throw new Error(`${where}: address of ${name} is not a string`);
    try {
      contracts[name] = getAddress(addr);
    } catch {
      throw new Error(`${where}: address of ${name} (${addr}) is invalid`);
    }
  }
  const net = network ?? (typeof o.network === "string" ? o.network : undefined);
  return net === undefined ? { chainId, block, contracts } : { chainId, block, contracts, network: net };
}

/**
 * Indexes deployments by chain id. Two deployments of the same chain id: the later block wins (ties: the later
 * in the list).
 * @param deployments Raw or parsed deployment objects.
 */
export function buildAddressBook(deployments: readonly unknown[]): AddressBook {
  const book: AddressBook = {};
  for (const d of deployments) {
    const parsed = isParsed(d) ? d : parseDeployment(d);
    const key = parsed.chainId.toString();
    const prev = book[key];
    if (!prev || parsed.block >= prev.block) book[key] = parsed;
  }
  return book;
}

function isParsed(d: unknown): d is BallastAddresses {
  return typeof d === "object" && d !== null && typeof (d as BallastAddresses).chainId === "bigint";
}

/**
 * The deployment of a chain id.
 * @param book From {@link buildAddressBook} or {@link loadDeployments}.
 * @param chainId Chain id (number, bigint or decimal string).
 * @throws Error naming the chain ids that are known when there is none for `chainId`.
 */
export function deploymentFor(book: AddressBook, chainId: bigint | number | string): BallastAddresses {
  const d = book[BigInt(chainId).toString()];
  if (!d) {
    const known = Object.keys(book).join(", ") || "none";
    throw new Error(`no Ballast deployment for chain ${chainId} (known: ${known})`);
  }
  return d;
}

/**
 * The address of a named contract on a chain.
 * @param book The address book.
 * @param chainId Chain id.
 * @param name Contract name, e.g. "BallastCore".
 */
export function addressOf(book: AddressBook, chainId: bigint | number | string, name: string): string {
  const d = deploymentFor(book, chainId);
  const a = d.contracts[name];
  if (!a) throw new Error(`deployment of chain ${chainId} has no contract "${name}"`);
  return a;
}

/**
 * Node only: loads every `*.json` file of a deployments folder (default: the package's `deployments/`) into an
 * address book (`book.json`, the package's own index of them, is skipped). A missing folder gives an empty book.
 * @param dir Folder of `<network>.json` files.
 */
export function loadDeployments(dir?: string): AddressBook {
  // Required lazily so that browser bundles that never call this do not need Node's fs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require("fs") as typeof import("fs");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require("path") as typeof import("path");
  const folder = dir ?? path.join(__dirname, "..", "deployments");
  if (!fs.existsSync(folder)) return {};
  const parsed: BallastAddresses[] = [];
  for (const file of fs.readdirSync(folder).sort()) {
    if (!file.endsWith(".json") || file === "book.json") continue; // book.json is the package's index of them
    const raw: unknown = JSON.parse(fs.readFileSync(path.join(folder, file), "utf8"));
    parsed.push(parseDeployment(raw, file.slice(0, -".json".length)));
  }
  return buildAddressBook(parsed);
}
