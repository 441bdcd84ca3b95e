// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBallastCore} from "../interfaces/IBallastCore.sol";
import {MathLib} from "../libraries/MathLib.sol";
import {SharesMathLib} from "../libraries/SharesMathLib.sol";
import {InterestLib} from "../libraries/InterestLib.sol";

/// @notice Exposes the internal math libraries (MathLib, SharesMathLib, InterestLib) for unit tests. Tests only.
contract MathHarness {
    function mulDivDown(uint256 x, uint256 y, uint256 d) external pure returns (uint256) {
        return MathLib.mulDivDown(x, y, d);
    }

    function mulDivUp(uint256 x, uint256 y, uint256 d) external pure returns (uint256) {
        return MathLib.mulDivUp(x, y, d);
    }

    function wMulDown(uint256 x, uint256 y) external pure returns (uint256) {
        return MathLib.wMulDown(x, y);
    }

    function wMulUp(uint256 x, uint256 y) external pure returns (uint256) {
        return MathLib.wMulUp(x, y);
    }

    function wDivDown(uint256 x, uint256 y) external pure returns (uint256) {
        return MathLib.wDivDown(x, y);
    }

    function wDivUp(uint256 x, uint256 y) external pure returns (uint256) {
        return MathLib.wDivUp(x, y);
    }

    function zeroFloorSub(uint256 x, uint256 y) external pure returns (uint256) {
        return MathLib.zeroFloorSub(x, y);
    }

    function min(uint256 x, uint256 y) external pure returns (uint256) {
        return MathLib.min(x, y);
    }

    function rpowUp(uint256 ratePerSecondRay, uint256 n) external pure returns (uint256) {
        return MathLib.rpowUp(ratePerSecondRay, n, InterestLib.MAX_GROWTH_FACTOR);
    }

    function toSharesDown(uint256 assets, uint256 totalAssets, uint256 totalShares) external pure returns (uint256) {
        return SharesMathLib.toSharesDown(assets, totalAssets, totalShares);
    }

    function toSharesUp(uint256 assets, uint256 totalAssets, uint256 totalShares) external pure returns (uint256) {
        return SharesMathLib.toSharesUp(assets, totalAssets, totalShares);
    }

    function toAssetsDown(uint256 shares, uint256 totalAssets, uint256 totalShares) external pure returns (uint256) {
        return SharesMathLib.toAssetsDown(shares, totalAssets, totalShares);
    }

    function toAssetsUp(uint256 shares, uint256 totalAssets, uint256 totalShares) external pure returns (uint256) {
        return SharesMathLib.toAssetsUp(shares, totalAssets, totalShares);
    }

    function utilization(uint256 totalBorrow, uint256 totalSupply) external pure returns (uint256) {
        return InterestLib.utilization(totalBorrow, totalSupply);
    }

    function borrowRate(IBallastCore.RateModel memory m, uint256 u) external pure returns (uint256) {
        return InterestLib.borrowRate(m, u);
    }

    function compoundedInterest(
        uint256 totalBorrow,
        uint256 annualRate,
        uint256 elapsed
    ) external pure returns (uint256) {
        return InterestLib.compoundedInterest(totalBorrow, annualRate, elapsed);
    }
}
