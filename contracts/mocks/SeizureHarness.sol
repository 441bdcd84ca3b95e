// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PositionLib} from "../libraries/PositionLib.sol";

/// @notice Exposes PositionLib's seizure math (what a liquidation seizes and what a whole balance costs). Tests only.
contract SeizureHarness {
    function seizedFor(
        uint256 repaid,
        uint256 loanPrice,
        uint256 colPrice,
        uint256 bonus
    ) external pure returns (uint256) {
        return PositionLib.seizedFor(repaid, loanPrice, colPrice, bonus);
    }

    function repaidForAll(
        uint256 amount,
        uint256 colPrice,
        uint256 loanPrice,
        uint256 bonus
    ) external pure returns (uint256) {
        return PositionLib.repaidForAll(amount, colPrice, loanPrice, bonus);
    }
}
