// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IPriceAdapter
/// @notice A validated USD price for one token, read from Chainlink feeds.
/// @dev Prices are scaled so that `value (USD, 18 decimals) = amount (token base units) * price / 1e18`,
/// i.e. `price = USD per base unit * 1e36`. This single scale serves 6, 8 and 18 decimal tokens alike.
/// Every failure reverts with its own custom error; callers that must never fail (repay) catch it.
interface IPriceAdapter {
    /// @notice The feed call itself reverted (retired or broken feed).
    error FeedReverted(address feed);
    /// @notice The feed answered zero or a negative number.
    error NonPositivePrice(address feed, int256 answer);
    /// @notice The latest round is older than the feed's heartbeat plus margin, or has no timestamp.
    error StalePrice(address feed, uint256 updatedAt, uint256 maxAge);
    /// @notice The latest round is dated in the future.
    error FuturePrice(address feed, uint256 updatedAt);
    /// @notice The answer lies outside the governance-set bounds (no clamping: the LUNA lesson).
    error PriceOutOfBounds(address feed, int256 answer, int256 minAnswer, int256 maxAnswer);
    /// @notice The L2 sequencer reports down (or its uptime feed is not initialised).
    error SequencerDown();
    /// @notice The L2 sequencer came back less than the grace period ago.
    error GracePeriodNotOver(uint256 upSince, uint256 gracePeriod);
    /// @notice The fallback feed is valid but deviates from the primary's last valid answer by more than allowed.
    error FallbackDeviationTooHigh(int256 primaryReference, int256 fallbackAnswer);

    /// @notice The token this adapter prices.
    function token() external view returns (address);

    /// @notice The validated price of one base unit of `token()`, scaled by 1e36 (see the contract notice).
    /// @dev Reverts with one of this interface's errors when no valid price exists (primary and fallback).
    function price() external view returns (uint256);
}
