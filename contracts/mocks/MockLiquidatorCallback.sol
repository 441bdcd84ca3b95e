// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IBallastCore} from "../interfaces/IBallastCore.sol";
import {IBallastLiquidateCallback} from "../interfaces/IBallastCallbacks.sol";

/// @notice Test-only flash liquidator: receives the seized collateral, sells it to `dex` (an account that approved
/// this contract for the loan token) at a fixed rate inside the callback, then lets the core pull the repayment.
/// It holds no loan token before the liquidation, so the liquidation only succeeds if the collateral arrives first.
contract MockLiquidatorCallback is IBallastLiquidateCallback {
    IBallastCore public immutable core;
    IERC20 public immutable loanToken;
    IERC20 public immutable collateralToken;
    address public immutable dex;
    /// @dev Loan-token base units paid by the dex per 1e18 collateral base units.
    uint256 public immutable rate;

    uint256 public calls;
    uint256 public seenMarketId;
    uint256 public seenRepaid;
    uint256 public seenSeized;
    uint256 public collateralAtCallback;
    uint256 public loanAtCallbackStart;
    bytes public seenData;

    error NotCore(address caller);

    constructor(IBallastCore core_, IERC20 loanToken_, IERC20 collateralToken_, address dex_, uint256 rate_) {
        core = core_;
        loanToken = loanToken_;
        collateralToken = collateralToken_;
        dex = dex_;
        rate = rate_;
    }

    /// @notice Liquidates `borrower` with this contract as receiver and a callback.
    function liquidate(
        uint256 id,
        address borrower,
        uint256 index,
        uint256 repayAssets,
        bytes calldata data
    ) external returns (uint256, uint256) {
        return core.liquidate(id, borrower, index, repayAssets, address(this), data);
    }

    /// @inheritdoc IBallastLiquidateCallback
    function onBallastLiquidate(
        uint256 marketId,
        uint256 repaidAssets,
        uint256 seizedAssets,
        bytes calldata data
    ) external {
        if (msg.sender != address(core)) revert NotCore(msg.sender);
        calls++;
        seenMarketId = marketId;
        seenRepaid = repaidAssets;
        seenSeized = seizedAssets;
        seenData = data;
        collateralAtCallback = collateralToken.balanceOf(address(this));
        loanAtCallbackStart = loanToken.balanceOf(address(this));
        // Sell the whole seized collateral to the dex, then approve the core for the repayment.
        uint256 proceeds = (seizedAssets * rate) / 1e18;
        collateralToken.transfer(dex, seizedAssets);
        loanToken.transferFrom(dex, address(this), proceeds);
        loanToken.approve(address(core), repaidAssets);
    }
}
