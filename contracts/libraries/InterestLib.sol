// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBallastCore} from "../interfaces/IBallastCore.sol";
import {MathLib} from "./MathLib.sol";

/// @title InterestLib
/// @notice The kinked interest rate model and per-second compounding.
library InterestLib {
    using MathLib for uint256;

    uint256 internal constant SECONDS_PER_YEAR = 365 days;
    /// @notice The most one accrual may multiply debt by (RAY-scaled: 1e9-fold). Past it the compounding saturates,
    /// so no time gap at any bounded rate can overflow (2,100% a year reaches it after about a year).
    uint256 internal constant MAX_GROWTH_FACTOR = 1e9 * MathLib.RAY;
    /// @notice Every market asset total fits a uint96 (IBallastCore.Market); interest that would push one past it is
    /// capped (saturation).
    uint256 internal constant MAX_TOTAL = type(uint96).max;
    /// @notice The most supplies may bring a market's supplied assets to, whatever its supply cap: a quarter of
    /// MAX_TOTAL (1.98e28 units), so interest keeps room to accrue and no one can stop a market's interest by
    /// supplying up to the width.
    uint256 internal constant MAX_SUPPLY_ASSETS = MAX_TOTAL / 4;

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

    /// @notice Interest owed on `totalBorrow` over `elapsed` seconds at `annualRate`, compounded per second (the
    /// factor never below the exact power, MathLib.compoundUp, saturating at MAX_GROWTH_FACTOR), then rounded DOWN
    /// to whole units.
    function compoundedInterest(
        uint256 totalBorrow,
        uint256 annualRate,
        uint256 elapsed
    ) internal pure returns (uint256) {
        return _exact(totalBorrow, annualRate, elapsed) / MathLib.RAY;
    }

    /// @notice One accrual: the interest to book (rounded down, capped at `headroom`) and the seconds of `elapsed`
    /// it leaves unpaid (rounded down; all of them when the interest rounds to zero, none when it is capped), which
    /// a carrying accrual keeps for the next one instead of forgiving them.
    /// @param headroom What every total may still grow by: MAX_TOTAL minus the largest total.
    function accrual(
        uint256 totalBorrow,
        uint256 annualRate,
        uint256 elapsed,
        uint256 headroom
    ) internal pure returns (uint256 interest, uint256 unpaidSeconds) {
        uint256 exact = _exact(totalBorrow, annualRate, elapsed); // loan units x RAY
        unchecked {
            interest = exact / MathLib.RAY;
            if (interest >= headroom) return (headroom, 0);
            // The fraction of a unit not booked, as the same fraction of the elapsed time (interest is convex in
            // time, so the seconds kept are never worth less than that fraction: nothing is under-counted).
            unpaidSeconds = interest == 0 ? elapsed : (elapsed * (exact % MathLib.RAY)) / exact;
        }
    }

    /// @dev totalBorrow x (compounded factor - 1), in loan units x RAY (below 2^256: the factor is below 2^120 and
    /// the total below 2^128).
    function _exact(uint256 totalBorrow, uint256 annualRate, uint256 elapsed) private pure returns (uint256) {
        // Per-second rate in RAY, rounded down. Unchecked: the rate is at most 21e18 (the rate model's bounds), the
        // factor at least RAY.
        unchecked {
            uint256 perSecondRay = (annualRate * 1e9) / SECONDS_PER_YEAR;
            return totalBorrow * (MathLib.compoundUp(perSecondRay, elapsed, MAX_GROWTH_FACTOR) - MathLib.RAY);
        }
    }
}
