// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IBallastLiquidateCallback
/// @notice Implemented by flash liquidators: called after the seized collateral was sent and every state change of
/// the liquidation was written, before the core pulls the repaid loan assets from the caller.
interface IBallastLiquidateCallback {
    /// @param marketId The market liquidated.
    /// @param repaidAssets Loan assets the core will pull from the caller when this returns.
    /// @param seizedAssets Collateral already sent to the receiver.
    /// @param data Arbitrary data passed to `liquidate`.
    function onBallastLiquidate(
        uint256 marketId,
        uint256 repaidAssets,
        uint256 seizedAssets,
        bytes calldata data
    ) external;
}
