// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBallastCore} from "../interfaces/IBallastCore.sol";
import {MathLib} from "./MathLib.sol";

/// @title InterestLib
/// @notice The kinked interest rate model and per-second compounding.
library InterestLib {
    using MathLib for uint256;

    uint256 internal constant SECONDS_PER_YEAR = 365 days;

    /// @notice Utilization = borrowed / supplied (WAD), rounded down, capped at 100%.
    function utilization(uint256 totalBorrow, uint256 totalSupply) internal pure returns (uint256) {
        if (totalSupply == 0) return 0;
        uint256 u = totalBorrow.wDivDown(totalSupply);
        return u > MathLib.WAD ? MathLib.WAD : u;
    }

    /// @notice Annual borrow rate (WAD) at utilization `u`: base + slope1 * u / target below the kink, and
    /// base + slope1 + slope2 * (u - target) / (1 - target) above it. Rounded down (the rate itself is a model
    /// value; the debt it compounds into is rounded up).
    function borrowRate(IBallastCore.RateModel memory m, uint256 u) internal pure returns (uint256) {
        if (u <= m.targetUtilization) {
            return uint256(m.baseRate) + uint256(m.slope1).mulDivDown(u, m.targetUtilization);
        }
        return
            uint256(m.baseRate) +
            m.slope1 +
            uint256(m.slope2).mulDivDown(u - m.targetUtilization, MathLib.WAD - m.targetUtilization);
    }

    /// @notice Interest owed on `totalBorrow` over `elapsed` seconds at `annualRate`, compounded per second and
    /// rounded up (debt is never under-counted).
    function compoundedInterest(
        uint256 totalBorrow,
        uint256 annualRate,
        uint256 elapsed
    ) internal pure returns (uint256) {
        // Per-second rate in RAY, rounded down; the compounded factor is rounded up at every step.
        uint256 perSecondRay = (annualRate * 1e9) / SECONDS_PER_YEAR;
        uint256 factor = MathLib.rpowUp(perSecondRay, elapsed);
        return totalBorrow.mulDivUp(factor - MathLib.RAY, MathLib.RAY);
    }
}
