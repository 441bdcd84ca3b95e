// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice A Chainlink-style feed whose every field can be set, and which can be made to revert (a retired
/// feed) or to burn all its gas. Tests only; the happy paths use Chainlink's own MockV3Aggregator.
contract MockFeed {
    uint8 public decimals;
    int256 public answer;
    uint256 public updatedAt;
    uint256 public startedAt;
    uint80 public roundId;
    bool public reverts;
    bool public burnsGas;

    constructor(uint8 decimals_, int256 answer_) {
        decimals = decimals_;
        set(answer_, block.timestamp);
    }

    function set(int256 answer_, uint256 updatedAt_) public {
        answer = answer_;
        updatedAt = updatedAt_;
        startedAt = updatedAt_;
        roundId++;
    }

    function setStartedAt(uint256 startedAt_) external {
        startedAt = startedAt_;
    }

    function setReverts(bool reverts_) external {
        reverts = reverts_;
    }

    /// @notice Makes every read spin until it runs out of gas (a griefing or broken feed).
    function setBurnsGas(bool burns) external {
        burnsGas = burns;
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        require(!reverts, "feed retired");
        uint256 spins;
        while (burnsGas) ++spins;
        return (roundId, answer, startedAt, updatedAt, roundId);
    }
}
