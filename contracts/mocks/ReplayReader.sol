// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ReplayReader
/// @notice TEST ONLY: the crash replay's batch reader. One eth_call runs many view calls on one target (every
/// position of a market, every holder's balance of a token), so the replay reads its state in one request per
/// block instead of one per borrower. It holds nothing and changes nothing.
contract ReplayReader {
    /// @notice Call `i` of the batch reverted; its revert data.
    error ReadFailed(uint256 i, bytes reason);

    /// @notice Static-calls `target` with each calldata of `calls`, in order.
    /// @param target The contract to read.
    /// @param calls ABI-encoded view calls.
    /// @return results The raw return data of each call.
    function read(address target, bytes[] calldata calls) external view returns (bytes[] memory results) {
        results = new bytes[](calls.length);
        for (uint256 i; i < calls.length; ++i) {
            (bool ok, bytes memory ret) = target.staticcall(calls[i]);
            if (!ok) revert ReadFailed(i, ret);
            results[i] = ret;
        }
    }
}
