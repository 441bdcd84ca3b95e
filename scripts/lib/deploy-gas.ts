/**
 * What a deployment costs, measured before anything is sent: the whole Ignition module runs on a throwaway
 * in-process chain (Hardhat's EDR; a fork of the target network when the config uses contracts that already exist
 * there), with the deployer impersonated, and the gas of every transaction it mined is summed. The deploy script
 * then refuses, in one line, a deployer whose balance cannot pay that gas at the network's fee.
 */
import type { HardhatRuntimeEnvironment, HardhatNetworkConfig, HttpNetworkConfig } from "hardhat/types";
import { createProvider } from "hardhat/internal/core/providers/construction";
import { deploy, DeploymentResultType } from "@nomicfoundation/ignition-core";
import { HardhatArtifactResolver } from "@nomicfoundation/hardhat-ignition/helpers";
import { formatEther, formatUnits, toQuantity, type Provider } from "ethers";
import type { NetworkDeployConfig } from "../../deploy/config";
import { buildBallastModules } from "../../deploy/modules/Ballast";
import { DeployEnvError } from "./deploy-env";

/** Whether the config only deploys new contracts (then no fork of the target is needed). */
function selfContained(config: NetworkDeployConfig): boolean {
  return config.assets.every((a) => a.token.kind === "mock" && a.feed.kind === "mock");
}

/**
 * Gas of the whole deployment of `config` from `deployer`, measured on an in-process chain (forked from `forkUrl`
 * when the config reads existing tokens and feeds).
 */
export async function measureDeploymentGas(
  hre: HardhatRuntimeEnvironment,
  config: NetworkDeployConfig,
  deployer: string,
  timelockArtifact: Parameters<typeof buildBallastModules>[1]["timelockArtifact"],
  forkUrl?: string,
): Promise<bigint> {
  const base = hre.config.networks.hardhat;
  const fork = selfContained(config) ? undefined : forkUrl;
  if (!selfContained(config) && !fork) throw new Error("measuring this deployment's gas needs the network's RPC URL");
  const network: HardhatNetworkConfig = {
    ...base,
    chainId: config.chainId,
    loggingEnabled: false,
    forking: fork ? { enabled: true, url: fork, httpHeaders: {} } : undefined,
  };
  const provider = await createProvider(
    { ...hre.config, networks: { ...hre.config.networks, hardhat: network } },
    "hardhat",
    hre.artifacts,
  );
  await provider.request({ method: "hardhat_impersonateAccount", params: [deployer] });
  await provider.request({ method: "hardhat_setBalance", params: [deployer, toQuantity(10n ** 24n)] });
  const first = Number(await provider.request({ method: "eth_blockNumber" }));
  const result = await deploy({
    config: { requiredConfirmations: 1, blockPollingInterval: 10 },
    provider,
    artifactResolver: new HardhatArtifactResolver(hre),
    ignitionModule: buildBallastModules(config, { timelockArtifact }).ballast,
    deploymentParameters: {},
    accounts: [deployer],
    defaultSender: deployer,
  });
  if (result.type !== DeploymentResultType.SUCCESSFUL_DEPLOYMENT) {
    throw new Error(`the dry run of the deployment failed (${result.type}): ${JSON.stringify(result)}`);
  }
  const last = Number(await provider.request({ method: "eth_blockNumber" }));
  let gas = 0n;
  for (let n = first + 1; n <= last; n++) {
    const block = (await provider.request({ method: "eth_getBlockByNumber", params: [toQuantity(n), false] })) as {
      gasUsed: string;
    };
    gas += BigInt(block.gasUsed);
  }
  return gas;
}

/** The fee per gas the deployment pays at most: the network's stated gasPrice, else the node's fee data. */
export async function deploymentFee(hre: HardhatRuntimeEnvironment, provider: Provider): Promise<bigint> {
  const stated = (hre.network.config as HttpNetworkConfig).gasPrice;
  if (typeof stated === "number") return BigInt(stated);
  const fee = await provider.getFeeData();
  const perGas = fee.maxFeePerGas ?? fee.gasPrice;
  if (perGas === null) throw new Error("the node reports no fee data (eth_gasPrice / base fee)");
  return perGas;
}

/** Refuses, in one line, a deployer whose `balance` cannot pay `gas` at `fee` wei per gas. Returns the cost. */
export function checkDeployerFunds(
  network: string,
  deployer: string,
  balance: bigint,
  gas: bigint,
  fee: bigint,
  resumed = false,
): bigint {
  const cost = gas * fee;
  if (balance >= cost) return cost;
  const what = resumed ? "the rest of the deployment (resuming its journal)" : "the whole deployment";
  throw new DeployEnvError(
    `The deployer ${deployer} holds ${formatEther(balance)} ETH on ${network}; ${what} needs about ` +
      `${gas.toLocaleString("en-US")} gas x ${formatUnits(fee, "gwei")} gwei = ${formatEther(cost)} ETH ` +
      `(measured by a dry run). Send it at least ${formatEther(cost - balance)} ETH more, then run the same ` +
      `command again. Nothing was sent.`,
  );
}
