// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ConstantsLib
/// @notice Hard bounds and constants of Ballast. Governance can never set a parameter outside these.
library ConstantsLib {
    uint256 internal constant WAD = 1e18;
    /// @dev Prices are USD per token base unit scaled by 1e36; value (USD, 18 decimals) = amount * price / 1e18.
    uint256 internal constant PRICE_SCALE = 1e18;

    uint256 internal constant MAX_COLLATERALS = 8;
    /// @dev Most a market's reserves or premium owed may reach (their storage fields are uint96): the accrual's cuts
    /// saturate there and the rest of the interest goes to suppliers.
    uint256 internal constant MAX_CUT = type(uint96).max;
    uint256 internal constant MAX_LIQUIDATION_THRESHOLD = 0.95e18;
    uint256 internal constant MAX_LIQUIDATION_BONUS = 0.2e18;
    uint256 internal constant MAX_RESERVE_FACTOR = 0.5e18;
    uint256 internal constant MAX_INSURANCE_PREMIUM_FACTOR = 0.5e18;
    uint256 internal constant MAX_PROTOCOL_BONUS_SHARE = 0.5e18;
    /// @notice Unit of the 32-bit copies of factors and thresholds (Market.reserveCut, premiumCut;
    /// Collateral.liquidationThresholdE9): those are WAD with at most 9 decimals, so the copy is exact.
    uint256 internal constant CUT_UNIT = 1e9;
    uint256 internal constant MIN_CLOSE_FACTOR_HF_THRESHOLD = 0.5e18;
    uint256 internal constant MAX_CLOSE_FACTOR_HF_THRESHOLD = 1e18;
    uint256 internal constant MAX_LIQUIDATION_GRACE_PERIOD = 4 hours;
    /// @dev Annual rate bounds: base at most 100%, each slope at most 1,000% a year.
    uint256 internal constant MAX_BASE_RATE = 1e18;
    uint256 internal constant MAX_SLOPE = 10e18;
    uint256 internal constant MIN_TARGET_UTILIZATION = 0.01e18;
    uint256 internal constant MAX_TARGET_UTILIZATION = 0.99e18;

    /// @dev Close factor while the health factor is at or above the threshold: 50% of the debt.
    uint256 internal constant CLOSE_FACTOR = 0.5e18;
    uint64 internal constant DEFAULT_CLOSE_FACTOR_HF_THRESHOLD = 0.95e18;
    uint64 internal constant DEFAULT_LIQUIDATION_GRACE_PERIOD = 1 hours;

    // Pause flags (bit positions). There is no repay flag on purpose: a paused repay traps borrowers.
    uint16 internal constant PAUSE_SUPPLY = 1 << 0;
    uint16 internal constant PAUSE_WITHDRAW = 1 << 1;
    uint16 internal constant PAUSE_BORROW = 1 << 2;
    uint16 internal constant PAUSE_REPAY = 1 << 3; // rejected by setPaused
    uint16 internal constant PAUSE_COLLATERAL_IN = 1 << 4;
    uint16 internal constant PAUSE_COLLATERAL_OUT = 1 << 5;
    uint16 internal constant PAUSE_LIQUIDATE = 1 << 6;
    uint16 internal constant PAUSE_ALL_ALLOWED = 0x77; // every flag but repay

    // MarketConfig.flags (bit positions), in config slot 0, which every entry point reads.
    /// @dev A liquidation grace period was ever set (`setPaused` unpaused liquidation): only then does a liquidation
    /// read its end (Market.liquidationGraceUntil, a slot it reads for nothing else).
    uint8 internal constant FLAG_GRACE_SET = 1 << 0;
    /// @dev Governance attested that every token of the market transfers exactly the amount asked (no fee, no
    /// rebasing on transfer): pulls skip the balance check (`setExactTransfers`).
    uint8 internal constant FLAG_EXACT_TRANSFERS = 1 << 1;

    /// @dev BallastCore.GUARDIAN_ROLE: pauses actions and may turn the fee-on-transfer check back on.
    bytes32 internal constant GUARDIAN_ROLE = keccak256("BALLAST_GUARDIAN_ROLE");
}
