/** ABIs from the Hardhat artifacts (only the `abi` field is bundled). */
import type { Abi } from "viem";
import { abi as lens } from "../../artifacts/contracts/periphery/BallastLens.sol/BallastLens.json";
import { abi as core } from "../../artifacts/contracts/interfaces/IBallastCore.sol/IBallastCore.json";
import { abi as fund } from "../../artifacts/contracts/insurance/InsuranceFund.sol/InsuranceFund.json";
import { abi as erc20 } from "../../artifacts/@openzeppelin/contracts/token/ERC20/IERC20.sol/IERC20.json";
import { abi as erc20Meta } from "../../artifacts/@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol/IERC20Metadata.json";

export const lensAbi = lens as Abi;
export const coreAbi = core as Abi;
export const fundAbi = fund as Abi;
export const tokenAbi = [...(erc20 as Abi), ...(erc20Meta as Abi)] as Abi;
