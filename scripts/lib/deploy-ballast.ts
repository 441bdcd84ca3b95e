/**
 * Deploys the whole protocol with the Ignition modules of deploy/modules/Ballast.ts: checks the environment,
 * validates the network's config (pure bounds, then on chain) before anything is sent, deploys, checks the role
 * handover on chain and writes deployments/<network>.json.
 */
import fs from "node:fs";
import path from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Artifact } from "@nomicfoundation/ignition-core";
import { Contract, type BaseContract, type Provider } from "ethers";
import {
  configForChain,
  validateConfig,
  validateConfigOnChain,
  type ExistingUniswap,
  type NetworkDeployConfig,
} from "../../deploy/config";
import { buildBallastModules, names, DEFAULT_ADMIN_ROLE, RISK_ROLE, GUARDIAN_ROLE } from "../../deploy/modules/Ballast";
import { checkNetworkEnv, DeployEnvError } from "./deploy-env";
import { checkDeployerFunds, deploymentFee, measureDeploymentGas } from "./deploy-gas";
import { repairJournal, sentGas } from "./deploy-journal";
import { writeDeployment, deploymentsDir, deploymentFile, type Deployment } from "./deploy-output";
import type { DeploymentVenue } from "../../deployments/types";

export interface DeployBallastOptions {
  /** The config to deploy (default: deploy/config/<network>.ts). */
  config?: NetworkDeployConfig;
  /** Where deployments/<network>.json goes (default: BALLAST_DEPLOYMENTS_DIR or ./deployments). */
  deploymentsDir?: string;
  /** Write deployments/<network>.json (default true). */
  write?: boolean;
  /** Ignition's progress UI (default false). */
  displayUi?: boolean;
  /** Ignition deployment id (journal under deploy/deployments/<id>; default BALLAST_IGNITION_ID, else
   * <network>-<chainId> for local nodes, which start fresh each time, and ballast-<network> for public ones). */
  deploymentId?: string;
  /** Keep (resume) an existing Ignition journal of a local node instead of wiping it. */
  resume?: boolean;
  /** Deploy even when deployments/<network>.json points at a live core (`--fresh`). */
  fresh?: boolean;
  /** Measure the deployment's gas by a dry run and refuse a deployer that cannot pay it (default: every network
   * but the in-process `hardhat` one). */
  fundsCheck?: boolean;
}

export interface DeployBallastResult {
  record: Deployment;
  file?: string;
  config: NetworkDeployConfig;
  contracts: Record<string, BaseContract>;
  warnings: string[];
}

/** The TimelockController artifact: compiled by the project when present, else OpenZeppelin's published build. */
export async function timelockArtifact(hre: HardhatRuntimeEnvironment): Promise<Artifact> {
  if (await hre.artifacts.artifactExists("TimelockController")) {
    return (await hre.artifacts.readArtifact("TimelockController")) as Artifact;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("@openzeppelin/contracts/build/contracts/TimelockController.json") as Artifact;
}

/** First block in [lo, hi] where `address` has code (binary search; lo if it already had code). */
async function firstBlockWithCode(provider: Provider, address: string, lo: number, hi: number): Promise<number> {
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await provider.getCode(address, mid)) !== "0x") hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const ROLE_ABI = ["function hasRole(bytes32, address) view returns (bool)"];
const OWNER_ABI = ["function owner() view returns (address)", "function pendingOwner() view returns (address)"];

/**
 * Checks the role handover on chain: the timelock administers the core, funds and adapters; risk and guardian
 * roles are where the config says; the deployer holds nothing. Throws listing every deviation.
 */
export async function checkHandover(
  provider: Provider,
  record: Deployment,
  config: NetworkDeployConfig,
): Promise<void> {
  const c = record.contracts;
  const timelock = c.TimelockController!;
  const deployer = record.deployer;
  const problems: string[] = [];
  const core = new Contract(c.BallastCore!, ROLE_ABI, provider);
  const has = async (target: Contract, role: string, who: string) =>
    Boolean(await target.getFunction("hasRole")(role, who));
  if (!(await has(core, DEFAULT_ADMIN_ROLE, timelock)))
    problems.push("the timelock lacks DEFAULT_ADMIN_ROLE on the core");
  if (!(await has(core, RISK_ROLE, timelock))) problems.push("the timelock lacks RISK_ROLE on the core");
  for (const r of [DEFAULT_ADMIN_ROLE, RISK_ROLE, GUARDIAN_ROLE]) {
    if (await has(core, r, deployer)) problems.push(`the deployer still holds role ${r} on the core`);
  }
  for (const a of config.governance.riskAdmins) {
    if (!(await has(core, RISK_ROLE, a))) problems.push(`${a} lacks RISK_ROLE`);
  }
  for (const a of config.governance.guardians) {
    if (!(await has(core, GUARDIAN_ROLE, a))) problems.push(`${a} lacks GUARDIAN_ROLE`);
  }
  for (const m of record.markets) {
    const fund = new Contract(c[m.insuranceFund]!, ROLE_ABI, provider);
    if (!(await has(fund, DEFAULT_ADMIN_ROLE, timelock))) problems.push(`${m.insuranceFund}: timelock is not admin`);
    if (await has(fund, DEFAULT_ADMIN_ROLE, deployer)) problems.push(`${m.insuranceFund}: the deployer is admin`);
  }
  for (const a of config.assets) {
    const adapter = new Contract(c[names.adapter(a.symbol)]!, OWNER_ABI, provider);
    const owner = String(await adapter.getFunction("owner")());
    if (owner.toLowerCase() !== timelock.toLowerCase()) problems.push(`${names.adapter(a.symbol)}: owner is ${owner}`);
  }
  if (problems.length > 0) throw new Error(`Role handover check failed:\n  - ${problems.join("\n  - ")}`);
}

/** deployments/<network>.json when it exists and is for `chainId`. */
function existingDeployment(network: string, dir: string, chainId: number): Deployment | undefined {
  const file = deploymentFile(network, dir);
  if (!fs.existsSync(file)) return undefined;
  const d = JSON.parse(fs.readFileSync(file, "utf8")) as Deployment;
  return d.chainId === chainId && d.contracts?.BallastCore ? d : undefined;
}

/** Refuses to deploy a second protocol over a deployments/<network>.json whose core is live. */
async function refuseLiveCore(provider: Provider, d: Deployment, network: string): Promise<void> {
  const core = d.contracts.BallastCore!;
  if ((await provider.getCode(core)) === "0x") return; // a restarted local node: nothing to lose
  throw new DeployEnvError(
    `deployments/${network}.json already points at a live Ballast core ${core} (chain ${d.chainId}, block ` +
      `${d.block}); deploying again would create a second protocol and overwrite that file. Nothing was sent. ` +
      `To deploy a new one anyway: --fresh (or BALLAST_FRESH=1).`,
  );
}

/**
 * Measures the deployment's gas (a dry run), less what a journal being resumed already spent, and refuses a
 * deployer that cannot pay it. A journal left by a send that failed (e.g. for lack of funds) is repaired first, so
 * the resume re-sends that transaction instead of stopping with IGN411.
 */
async function checkFunds(
  hre: HardhatRuntimeEnvironment,
  config: NetworkDeployConfig,
  deployer: string,
  artifact: Artifact,
  journalDir: string | undefined,
): Promise<void> {
  const provider = hre.ethers.provider;
  const url = (hre.network.config as { url?: string }).url;
  let gas = await measureDeploymentGas(hre, config, deployer, artifact, url);
  let resumed = false;
  if (journalDir && fs.existsSync(path.join(journalDir, "journal.jsonl"))) {
    repairJournal(journalDir, await provider.getTransactionCount(deployer, "latest"));
    const spent = await sentGas(journalDir, provider);
    gas = spent >= gas ? 0n : gas - spent;
    resumed = true;
  }
  const [balance, fee] = [await provider.getBalance(deployer), await deploymentFee(hre, provider)];
  checkDeployerFunds(hre.network.name, deployer, balance, gas, fee, resumed);
}

/** Validates and deploys the protocol to `hre.network`, then writes deployments/<network>.json. */
export async function deployBallast(
  hre: HardhatRuntimeEnvironment,
  opts: DeployBallastOptions = {},
): Promise<DeployBallastResult> {
  const network = hre.network.name;
  const warnings = checkNetworkEnv(network);
  const provider = hre.ethers.provider;
  const chainId = Number((await provider.getNetwork()).chainId);
  const config = opts.config ?? configForChain(network, chainId);
  validateConfig(config);

  const signers = await hre.ethers.getSigners();
  const deployer = signers[0];
  if (!deployer) throw new Error(`No deployer account on ${network}: set DEPLOYER_PRIVATE_KEY`);
  await validateConfigOnChain(config, provider, deployer.address);

  const dir = opts.deploymentsDir ?? deploymentsDir(hre.config.paths.root);
  const previous = network === "hardhat" ? undefined : existingDeployment(network, dir, chainId);
  let deploymentId = opts.deploymentId ?? process.env.BALLAST_IGNITION_ID;
  if (network !== "hardhat") {
    // A local node (even one serving a fork's chain id) forgets its chain on restart: its old journal would make
    // Ignition skip or mismatch, so it is wiped unless `resume`; public networks keep theirs (in git) and resume.
    const throwaway = config.local || network === "localhost";
    deploymentId ??= throwaway ? `${network}-${chainId}` : `ballast-${network}`;
    const journal = path.join(hre.config.paths.ignition, "deployments", deploymentId);
    const resuming = (!throwaway || opts.resume === true) && fs.existsSync(journal);
    if (previous && !resuming && !opts.fresh) await refuseLiveCore(provider, previous, network);
    if (throwaway && !opts.resume) fs.rmSync(journal, { recursive: true, force: true });
  }

  const artifact = await timelockArtifact(hre);
  if (opts.fundsCheck ?? network !== "hardhat") {
    const journal = deploymentId ? path.join(hre.config.paths.ignition, "deployments", deploymentId) : undefined;
    await checkFunds(hre, config, deployer.address, artifact, journal);
  }
  const startBlock = await provider.getBlockNumber();
  const modules = buildBallastModules(config, { timelockArtifact: artifact });
  const contracts = (await hre.ignition.deploy(modules.ballast, {
    deploymentId,
    displayUi: opts.displayUi ?? false,
    defaultSender: deployer.address,
  })) as unknown as Record<string, BaseContract>;

  const addresses: Record<string, string> = {};
  for (const [name, contract] of Object.entries(contracts).sort(([a], [b]) => a.localeCompare(b))) {
    addresses[name] = await contract.getAddress();
  }
  const latest = await provider.getBlockNumber();
  // A re-run that resumed and sent nothing keeps the recorded creation block (where indexers start).
  const block =
    previous && previous.contracts.BallastCore === addresses.BallastCore
      ? previous.block
      : await firstBlockWithCode(provider, addresses.BallastCore!, startBlock, latest);

  const record: Deployment = {
    network,
    chainId,
    block,
    contracts: addresses,
    markets: config.markets.map((m, i) => ({
      id: i + 1,
      loan: m.loan,
      collaterals: m.collaterals.map((c) => c.asset),
      insuranceFund: names.fund(i + 1),
    })),
    governance: {
      timelock: addresses.TimelockController!,
      riskAdmins: config.governance.riskAdmins,
      guardians: config.governance.guardians,
    },
    deployer: deployer.address,
    deployedAt: new Date().toISOString(),
    ...(config.uniswap?.kind === "existing" ? { uniswap: existingVenue(config.uniswap) } : {}),
  };
  await checkHandover(provider, record, config);

  let file: string | undefined;
  if (opts.write ?? true) file = writeDeployment(record, dir);
  return { record, file, config, contracts, warnings };
}

/** The venue of a network whose Uniswap v3 already exists, as deployments/<network>.json records it. */
function existingVenue(u: ExistingUniswap): DeploymentVenue {
  return {
    factory: u.factory,
    quoterV2: u.quoterV2,
    pools: u.pools.map((p) => ({ collateral: p.collateral, loan: p.loan, fee: p.fee })),
  };
}

/** A short human summary of a deployment (addresses, chain id, markets). */
export function describeDeployment(record: Deployment): string {
  const width = Math.max(...Object.keys(record.contracts).map((k) => k.length));
  const lines = [
    `Ballast on ${record.network} (chain id ${record.chainId}), from block ${record.block}`,
    ...Object.entries(record.contracts).map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    ...record.markets.map(
      (m) => `  market ${m.id}: borrow ${m.loan} against ${m.collaterals.join(", ")} (fund ${m.insuranceFund})`,
    ),
  ];
  return lines.join("\n");
}
