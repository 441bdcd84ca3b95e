// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title MathLib
/// @notice Fixed-point helpers whose names say which way they round. The rounding direction is the caller's
/// decision and must favour the protocol (see docs/ARCHITECTURE.md, "Rounding").
library MathLib {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant RAY = 1e27;

    /// @dev floor(x * y / d).
    function mulDivDown(uint256 x, uint256 y, uint256 d) internal pure returns (uint256) {
        return (x * y) / d;
    }

    /// @dev ceil(x * y / d).
    function mulDivUp(uint256 x, uint256 y, uint256 d) internal pure returns (uint256) {
        return (x * y + (d - 1)) / d;
    }

    /// @dev floor(x * y / WAD).
    function wMulDown(uint256 x, uint256 y) internal pure returns (uint256) {
        return (x * y) / WAD;
    }

    /// @dev ceil(x * y / WAD).
    function wMulUp(uint256 x, uint256 y) internal pure returns (uint256) {
        return (x * y + (WAD - 1)) / WAD;
    }

    /// @dev floor(x * WAD / y).
    function wDivDown(uint256 x, uint256 y) internal pure returns (uint256) {
        return (x * WAD) / y;
    }

    /// @dev ceil(x * WAD / y).
    function wDivUp(uint256 x, uint256 y) internal pure returns (uint256) {
        return (x * WAD + (y - 1)) / y;
    }

    /// @dev max(x - y, 0).
    function zeroFloorSub(uint256 x, uint256 y) internal pure returns (uint256) {
        return x > y ? x - y : 0;
    }

    /// @dev min(x, y).
    function min(uint256 x, uint256 y) internal pure returns (uint256) {
        return x < y ? x : y;
    }

    /// @dev (1 + ratePerSecond)^n in RAY, by binary exponentiation with each product rounded up, so compounded
    /// debt is never under-counted (the error is at most one RAY unit per multiplication, about 1e-25 a step).
    /// Exact compounding per second stays accurate over a year or more of no activity. Saturates at `maxFactor`
    /// (which must be below 2^128, so no product overflows): a growth that would exceed it returns `maxFactor`.
    /// @param ratePerSecondRay Per-second rate in RAY.
    /// @param n Seconds elapsed.
    /// @param maxFactor The saturation value, in RAY.
    function rpowUp(uint256 ratePerSecondRay, uint256 n, uint256 maxFactor) internal pure returns (uint256 z) {
        uint256 x = RAY + ratePerSecondRay;
        z = RAY;
        // Unchecked: x and z stay below maxFactor < 2^128 whenever they are multiplied.
        unchecked {
            while (n != 0) {
                if (x >= maxFactor) return maxFactor; // z will be multiplied by x or more
                if (n & 1 != 0) {
                    z = (z * x + (RAY - 1)) / RAY;
                    if (z >= maxFactor) return maxFactor;
                }
                n >>= 1;
                if (n != 0) x = (x * x + (RAY - 1)) / RAY;
            }
        }
    }
}
