// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";

/// @title ReplicaAggregatorProxy
/// @notice TEST ONLY: the part of Chainlink's EACAggregatorProxy that a mainnet replica needs: an owner who may
/// propose and confirm a new aggregator, and reads forwarded to the current aggregator. Placed at a real feed
/// proxy's address (hardhat_setCode + storage writes) so fork code that takes over a proxy runs offline unchanged.
/// Round ids are passed through without phase encoding.
contract ReplicaAggregatorProxy {
    /// @notice Only the owner may change the aggregator.
    error OnlyOwner(address caller);
    /// @notice `confirmAggregator` must name the proposed aggregator.
    error InvalidProposedAggregator(address aggregator);

    address public owner;
    AggregatorV3Interface public aggregator;
    AggregatorV3Interface public proposedAggregator;

    constructor(address owner_, AggregatorV3Interface aggregator_) {
        owner = owner_;
        aggregator = aggregator_;
    }

    /// @notice Proposes a new aggregator (owner).
    function proposeAggregator(address aggregator_) external {
        if (msg.sender != owner) revert OnlyOwner(msg.sender);
        proposedAggregator = AggregatorV3Interface(aggregator_);
    }

    /// @notice Makes the proposed aggregator current (owner).
    function confirmAggregator(address aggregator_) external {
        if (msg.sender != owner) revert OnlyOwner(msg.sender);
        if (aggregator_ != address(proposedAggregator)) revert InvalidProposedAggregator(aggregator_);
        aggregator = AggregatorV3Interface(aggregator_);
        delete proposedAggregator;
    }

    function decimals() external view returns (uint8) {
        return aggregator.decimals();
    }

    function description() external view returns (string memory) {
        return aggregator.description();
    }

    function version() external view returns (uint256) {
        return aggregator.version();
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return aggregator.latestRoundData();
    }

    function getRoundData(uint80 roundId) external view returns (uint80, int256, uint256, uint256, uint80) {
        return aggregator.getRoundData(roundId);
    }
}
