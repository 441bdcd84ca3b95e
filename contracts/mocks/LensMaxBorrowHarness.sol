// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBallastCore} from "../interfaces/IBallastCore.sol";
import {BallastLens} from "../periphery/BallastLens.sol";

/// @notice Exposes BallastLens._maxBorrow on a given market and position state (states no test can reach on a
/// node in reasonable time, e.g. after extreme debt-share growth). Tests only.
contract LensMaxBorrowHarness is BallastLens {
    constructor() BallastLens(IBallastCore(address(0))) {}

    function maxBorrow(
        uint96 totalBorrowAssets,
        uint120 totalBorrowShares,
        uint256 borrowShares,
        uint256 debt,
        uint256 borrowPower,
        uint256 loanPrice
    ) external pure returns (uint256) {
        IBallastCore.Market memory m;
        m.totalBorrowAssets = totalBorrowAssets;
        m.totalBorrowShares = totalBorrowShares;
        PositionView memory v;
        v.borrowShares = borrowShares;
        v.debt = debt;
        v.borrowPower = borrowPower;
        v.loanPrice = loanPrice;
        return _maxBorrow(m, v);
    }
}
