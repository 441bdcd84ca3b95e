// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IBallastCore} from "../interfaces/IBallastCore.sol";
import {IBallastLiquidateCallback} from "../interfaces/IBallastCallbacks.sol";

/// @notice Attacker liquidator: inside `onBallastLiquidate` it re-enters the core with a configured call and
/// records the result, then pays the liquidation normally. Tests only.
contract ReentrantLiquidator is IBallastLiquidateCallback {
    IBallastCore public immutable CORE;
    bytes public reentryData;
    bool public reentrySucceeded;
    bytes public reentryReturn;
    uint256 public callbackRepaid;
    uint256 public callbackSeized;

    constructor(IBallastCore core) {
        CORE = core;
    }

    /// @notice Liquidates with a non-empty `data`, so the core calls back; `reentry` is the call tried inside.
    function attack(
        uint256 id,
        address borrower,
        uint256 index,
        uint256 repayAssets,
        address loanToken,
        bytes calldata reentry
    ) external returns (uint256 seized, uint256 repaid) {
        reentryData = reentry;
        IERC20(loanToken).approve(address(CORE), type(uint256).max);
        return CORE.liquidate(id, borrower, index, repayAssets, address(this), hex"01");
    }

    /// @inheritdoc IBallastLiquidateCallback
    function onBallastLiquidate(uint256, uint256 repaidAssets, uint256 seizedAssets, bytes calldata) external {
        require(msg.sender == address(CORE), "not core");
        callbackRepaid = repaidAssets;
        callbackSeized = seizedAssets;
        (reentrySucceeded, reentryReturn) = address(CORE).call(reentryData);
    }
}
