/**
 * The TypeChain (ethers v6) types and factories of the contracts an integrator calls: the protocol's contracts,
 * interfaces and periphery, and the ERC-20 interfaces. Test mocks are not exported (and so not shipped).
 */
export type { BallastCore } from "../typechain-types/contracts/core/BallastCore";
export { BallastCore__factory } from "../typechain-types/factories/contracts/core/BallastCore__factory";
export type { InsuranceFund } from "../typechain-types/contracts/insurance/InsuranceFund";
export { InsuranceFund__factory } from "../typechain-types/factories/contracts/insurance/InsuranceFund__factory";
export type { IBallastLiquidateCallback } from "../typechain-types/contracts/interfaces/IBallastCallbacks.sol/IBallastLiquidateCallback";
export { IBallastLiquidateCallback__factory } from "../typechain-types/factories/contracts/interfaces/IBallastCallbacks.sol/IBallastLiquidateCallback__factory";
export type { IBallastCore } from "../typechain-types/contracts/interfaces/IBallastCore";
export { IBallastCore__factory } from "../typechain-types/factories/contracts/interfaces/IBallastCore__factory";
export type { IInsuranceFund } from "../typechain-types/contracts/interfaces/IInsuranceFund";
export { IInsuranceFund__factory } from "../typechain-types/factories/contracts/interfaces/IInsuranceFund__factory";
export type { IPriceAdapter } from "../typechain-types/contracts/interfaces/IPriceAdapter";
export { IPriceAdapter__factory } from "../typechain-types/factories/contracts/interfaces/IPriceAdapter__factory";
export type { ConfigLogic } from "../typechain-types/contracts/libraries/ConfigLogic";
export { ConfigLogic__factory } from "../typechain-types/factories/contracts/libraries/ConfigLogic__factory";
export type { LiquidationLogic } from "../typechain-types/contracts/libraries/LiquidationLogic";
export { LiquidationLogic__factory } from "../typechain-types/factories/contracts/libraries/LiquidationLogic__factory";
export type { ChainlinkPriceAdapter } from "../typechain-types/contracts/oracles/ChainlinkPriceAdapter";
export { ChainlinkPriceAdapter__factory } from "../typechain-types/factories/contracts/oracles/ChainlinkPriceAdapter__factory";
export type { BallastLens } from "../typechain-types/contracts/periphery/BallastLens";
export { BallastLens__factory } from "../typechain-types/factories/contracts/periphery/BallastLens__factory";
export type { FlashLiquidator } from "../typechain-types/contracts/periphery/FlashLiquidator.sol/FlashLiquidator";
export { FlashLiquidator__factory } from "../typechain-types/factories/contracts/periphery/FlashLiquidator.sol/FlashLiquidator__factory";
export type { ILiquidationSwapper } from "../typechain-types/contracts/periphery/FlashLiquidator.sol/ILiquidationSwapper";
export { ILiquidationSwapper__factory } from "../typechain-types/factories/contracts/periphery/FlashLiquidator.sol/ILiquidationSwapper__factory";
export type { ERC20 } from "../typechain-types/@openzeppelin/contracts/token/ERC20/ERC20";
export { ERC20__factory } from "../typechain-types/factories/@openzeppelin/contracts/token/ERC20/ERC20__factory";
export type { IERC20Metadata } from "../typechain-types/@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata";
export { IERC20Metadata__factory } from "../typechain-types/factories/@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata__factory";
export type { IERC20 } from "../typechain-types/@openzeppelin/contracts/token/ERC20/IERC20";
export { IERC20__factory } from "../typechain-types/factories/@openzeppelin/contracts/token/ERC20/IERC20__factory";
export type { PermitRouter } from "../typechain-types/contracts/periphery/PermitRouter";
export { PermitRouter__factory } from "../typechain-types/factories/contracts/periphery/PermitRouter__factory";
