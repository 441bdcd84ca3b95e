// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title BenchFeed
/// @notice The gas benchmark's price feed: Chainlink's `AggregatorV3Interface` read path over three storage
/// values (answer, update time, round), the same kind of feed the peer harness reads for every protocol, so that a
/// price read costs Ballast what it cost the peers. Chainlink's MockV3Aggregator keeps per-round history and costs
/// one more cold slot per read. Test and benchmark use only.
contract BenchFeed {
    uint8 public immutable decimals;
    int256 internal _answer;
    uint256 internal _updatedAt;
    uint80 internal _round;

    constructor(uint8 decimals_, int256 answer_) {
        decimals = decimals_;
        updateAnswer(answer_);
    }

    /// @notice Publishes `answer_` at the current block's time (a new round).
    function updateAnswer(int256 answer_) public {
        _answer = answer_;
        _updatedAt = block.timestamp;
        ++_round;
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return (_round, _answer, _updatedAt, _updatedAt, _round);
    }

    function latestAnswer() external view returns (int256) {
        return _answer;
    }

    function description() external pure returns (string memory) {
        return "Ballast benchmark feed";
    }

    function version() external pure returns (uint256) {
        return 4;
    }
}
