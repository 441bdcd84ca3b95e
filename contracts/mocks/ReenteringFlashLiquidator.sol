// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IBallastCore} from "../interfaces/IBallastCore.sol";
import {IBallastLiquidateCallback} from "../interfaces/IBallastCallbacks.sol";

/// @notice Test-only liquidator whose callback re-enters the core. Modes: 1 liquidates the same borrower again,
/// 2 withdraws the loan asset it supplied, 3 borrows; 4 does mode 1 inside try/catch, records the revert data and
/// then pays normally (so the outer liquidation completes with the re-entry refused).
contract ReenteringFlashLiquidator is IBallastLiquidateCallback {
    IBallastCore public immutable core;
    IERC20 public immutable loanToken;

    uint8 public mode;
    address public borrower;
    uint256 public index;
    bytes public caughtError;
    bool public reentrySucceeded;

    constructor(IBallastCore core_, IERC20 loanToken_) {
        core = core_;
        loanToken = loanToken_;
        loanToken_.approve(address(core_), type(uint256).max);
    }

    /// @notice Supplies loan assets (held by this contract) so that mode 2 has something to withdraw.
    function supply(uint256 id, uint256 assets) external {
        core.supply(id, assets, 0, address(this));
    }

    /// @notice Liquidates with a non-empty callback in `mode_`.
    function liquidate(uint256 id, address borrower_, uint256 index_, uint256 repayAssets, uint8 mode_) external {
        mode = mode_;
        borrower = borrower_;
        index = index_;
        core.liquidate(id, borrower_, index_, repayAssets, address(this), abi.encode(mode_));
    }

    /// @inheritdoc IBallastLiquidateCallback
    function onBallastLiquidate(uint256 marketId, uint256 repaidAssets, uint256, bytes calldata) external {
        if (mode == 1) {
            core.liquidate(marketId, borrower, index, repaidAssets, address(this), "");
        } else if (mode == 2) {
            core.withdraw(marketId, repaidAssets, 0, address(this), address(this));
        } else if (mode == 3) {
            core.borrow(marketId, repaidAssets, 0, address(this), address(this));
        } else if (mode == 4) {
            try core.liquidate(marketId, borrower, index, repaidAssets, address(this), "") {
                reentrySucceeded = true;
            } catch (bytes memory err) {
                caughtError = err;
            }
        }
    }
}
