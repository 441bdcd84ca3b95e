// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {Ownable2Step, Ownable} from "@openzeppelin/contracts/access/Ownable2Step.sol";

import {IPriceAdapter} from "../interfaces/IPriceAdapter.sol";

/// @title ChainlinkPriceAdapter
/// @notice Validated USD price of one token from a Chainlink primary feed, with an optional fallback feed and an
/// optional L2 sequencer uptime check. A price is valid only if the call succeeds, the answer is positive, the
/// round is neither in the future nor older than that feed's own max age (heartbeat + margin), and the answer lies
/// within the governance-set bounds (never clamped). The fallback is used only when the primary is invalid, only if
/// it is valid itself and within `MAX_FALLBACK_DEVIATION` of the primary's last valid answer, and only while that
/// answer is at most `MAX_REFERENCE_AGE` old (an old reference says nothing about today's price).
/// @dev Wiring (feeds, ages, decimals, sequencer) is immutable: a changed heartbeat means a new adapter set through
/// the timelock. Only the bounds are tunable, by the owner (the timelock).
contract ChainlinkPriceAdapter is IPriceAdapter, Ownable2Step {
    /// @notice Bounds are USD per whole token with 18 decimals.
    event BoundsSet(uint256 minPrice, uint256 maxPrice);
    /// @notice The primary's valid answer was recorded as the fallback's deviation reference.
    event Checkpointed(uint256 priceWad, uint256 updatedAt);

    /// @notice Bounds or constructor arguments are inconsistent.
    error InvalidConfig(bytes32 what);
    /// @notice No valid primary answer was ever recorded to compare a fallback with, or the last one is older than
    /// `MAX_REFERENCE_AGE`.
    error NoFallbackReference();

    /// @dev Outcome of one feed read.
    enum Status {
        Ok,
        Reverted,
        NonPositive,
        Stale,
        Future,
        OutOfBounds
    }

    struct Read {
        Status status;
        int256 answer;
        uint256 updatedAt;
        uint256 priceWad; // USD per whole token, 18 decimals (valid when status is Ok or Stale/Future)
    }

    address public immutable token;
    AggregatorV3Interface public immutable PRIMARY;
    uint256 public immutable PRIMARY_MAX_AGE;
    AggregatorV3Interface public immutable FALLBACK;
    uint256 public immutable FALLBACK_MAX_AGE;
    /// @notice Max relative deviation of the fallback from the primary's last valid answer (WAD, e.g. 0.02e18).
    uint256 public immutable MAX_FALLBACK_DEVIATION;
    /// @notice Oldest the fallback's reference (the primary's last answer) may be, in seconds: past it the fallback
    /// is refused (`NoFallbackReference`). Above the primary's max age (a stale primary's own answer is the usual
    /// reference), at most that plus 7 days.
    uint256 public immutable MAX_REFERENCE_AGE;
    AggregatorV3Interface public immutable SEQUENCER;
    uint256 public immutable SEQUENCER_GRACE_PERIOD;

    uint256 internal immutable PRIMARY_TO_WAD; // 10^(18 - primary decimals)
    uint256 internal immutable FALLBACK_TO_WAD; // 10^(18 - fallback decimals)
    uint256 internal immutable WAD_TO_PRICE; // 10^(18 - token decimals)

    /// @notice Bounds in USD per whole token, 18 decimals.
    uint128 public minPrice;
    uint128 public maxPrice;
    /// @notice Last valid primary answer recorded by `checkpoint` (USD per token, 18 decimals) and its round time.
    uint128 public lastPrimaryPrice;
    uint64 public lastPrimaryUpdatedAt;

    /// @dev Constructor arguments (a struct avoids a long positional list).
    struct Params {
        address token;
        address owner;
        AggregatorV3Interface primary;
        uint256 primaryMaxAge;
        AggregatorV3Interface fallbackFeed; // address(0): none
        uint256 fallbackMaxAge;
        uint256 maxFallbackDeviation;
        uint256 maxReferenceAge; // with a fallback: in (primaryMaxAge, primaryMaxAge + 7 days]; else 0
        AggregatorV3Interface sequencer; // address(0): not an L2
        uint256 sequencerGracePeriod;
        uint128 minPrice;
        uint128 maxPrice;
    }

    /// @param p The adapter's wiring and initial bounds (see `Params`).
    constructor(Params memory p) Ownable(p.owner) {
        if (p.token == address(0) || address(p.primary) == address(0)) revert InvalidConfig("zero address");
        if (p.primaryMaxAge == 0 || p.primaryMaxAge > 7 days) revert InvalidConfig("primaryMaxAge");
        uint8 tokenDecimals = IERC20Metadata(p.token).decimals();
        uint8 primaryDecimals = p.primary.decimals();
        if (tokenDecimals > 18 || primaryDecimals > 18) revert InvalidConfig("decimals");
        token = p.token;
        PRIMARY = p.primary;
        PRIMARY_MAX_AGE = p.primaryMaxAge;
        PRIMARY_TO_WAD = 10 ** (18 - primaryDecimals);
        WAD_TO_PRICE = 10 ** (18 - tokenDecimals);
        FALLBACK = p.fallbackFeed;
        if (address(p.fallbackFeed) != address(0)) {
            uint8 fallbackDecimals = p.fallbackFeed.decimals();
            if (fallbackDecimals > 18) revert InvalidConfig("decimals");
            if (p.fallbackMaxAge == 0 || p.fallbackMaxAge > 7 days) revert InvalidConfig("fallbackMaxAge");
            if (p.maxFallbackDeviation == 0 || p.maxFallbackDeviation > 0.2e18) {
                revert InvalidConfig("maxFallbackDeviation");
            }
            if (p.maxReferenceAge <= p.primaryMaxAge || p.maxReferenceAge > p.primaryMaxAge + 7 days) {
                revert InvalidConfig("maxReferenceAge");
            }
            FALLBACK_TO_WAD = 10 ** (18 - fallbackDecimals);
        }
        FALLBACK_MAX_AGE = p.fallbackMaxAge;
        MAX_FALLBACK_DEVIATION = p.maxFallbackDeviation;
        MAX_REFERENCE_AGE = p.maxReferenceAge;
        SEQUENCER = p.sequencer;
        if (p.sequencerGracePeriod > 1 days) revert InvalidConfig("sequencerGracePeriod");
        SEQUENCER_GRACE_PERIOD = p.sequencerGracePeriod;
        _setBounds(p.minPrice, p.maxPrice);
    }

    /// @notice Sets the bounds (owner). An answer outside them is invalid: the market halts rather than use it.
    /// @param newMin Lowest valid price, USD per whole token, 18 decimals (> 0).
    /// @param newMax Highest valid price, same unit, above `newMin`.
    function setBounds(uint128 newMin, uint128 newMax) external onlyOwner {
        _setBounds(newMin, newMax);
    }

    /// @notice Records the primary's current valid answer as the reference a fallback is compared with when the
    /// primary itself stops answering. Permissionless; keepers call it routinely.
    function checkpoint() external {
        Read memory r = _read(PRIMARY, PRIMARY_TO_WAD, PRIMARY_MAX_AGE);
        _revertPrimaryIfInvalid(r);
        lastPrimaryPrice = uint128(r.priceWad);
        lastPrimaryUpdatedAt = uint64(r.updatedAt);
        emit Checkpointed(r.priceWad, r.updatedAt);
    }

    /// @inheritdoc IPriceAdapter
    function price() external view returns (uint256) {
        return priceWad() * WAD_TO_PRICE;
    }

    /// @notice The validated price of one whole token in USD with 18 decimals (reverts like `price`).
    /// @return The price.
    function priceWad() public view returns (uint256) {
        _checkSequencer();
        Read memory p = _read(PRIMARY, PRIMARY_TO_WAD, PRIMARY_MAX_AGE);
        if (p.status == Status.Ok) return p.priceWad;
        if (address(FALLBACK) != address(0)) {
            Read memory f = _read(FALLBACK, FALLBACK_TO_WAD, FALLBACK_MAX_AGE);
            if (f.status == Status.Ok) {
                // Reference: the primary's latest answer if it is a real in-bounds price (only late or future),
                // else the last checkpointed valid answer; either only while at most MAX_REFERENCE_AGE old.
                bool own = p.status == Status.Stale || p.status == Status.Future;
                uint256 ref = own ? p.priceWad : lastPrimaryPrice;
                uint256 refAt = own ? p.updatedAt : lastPrimaryUpdatedAt;
                if (ref == 0 || (refAt < block.timestamp && block.timestamp - refAt > MAX_REFERENCE_AGE)) {
                    revert NoFallbackReference();
                }
                uint256 diff = f.priceWad > ref ? f.priceWad - ref : ref - f.priceWad;
                // Deviation rounded up: a borderline fallback is rejected.
                if ((diff * 1e18 + ref - 1) / ref > MAX_FALLBACK_DEVIATION) {
                    revert FallbackDeviationTooHigh(int256(ref), int256(f.priceWad));
                }
                return f.priceWad;
            }
        }
        _revertPrimaryIfInvalid(p);
        return p.priceWad; // unreachable: _revertPrimaryIfInvalid reverts for every status but Ok
    }

    /// @notice Validity of the current price without reverting, for lenses and keepers.
    /// @return valid Whether `price()` would succeed.
    /// @return value The price if valid, else 0.
    function tryPrice() external view returns (bool valid, uint256 value) {
        try this.price() returns (uint256 v) {
            return (true, v);
        } catch {
            return (false, 0);
        }
    }

    function _setBounds(uint128 newMin, uint128 newMax) internal {
        if (newMin == 0 || newMax <= newMin) revert InvalidConfig("bounds");
        minPrice = newMin;
        maxPrice = newMax;
        emit BoundsSet(newMin, newMax);
    }

    function _checkSequencer() internal view {
        if (address(SEQUENCER) == address(0)) return;
        (bool ok, bytes memory ret) = address(SEQUENCER).staticcall(
            abi.encodeCall(AggregatorV3Interface.latestRoundData, ())
        );
        if (!ok || ret.length < 160) revert SequencerDown();
        (, int256 answer, uint256 startedAt, , ) = abi.decode(ret, (uint80, int256, uint256, uint256, uint80));
        // answer 0 = up, 1 = down; startedAt 0 = uptime feed not initialised (Arbitrum).
        if (answer != 0 || startedAt == 0) revert SequencerDown();
        if (startedAt > block.timestamp || block.timestamp - startedAt <= SEQUENCER_GRACE_PERIOD) {
            revert GracePeriodNotOver(startedAt, SEQUENCER_GRACE_PERIOD);
        }
    }

    /// @dev Reads a feed without reverting. A reverting feed (retired, broken) is a status, not a bubbled revert.
    function _read(AggregatorV3Interface feed, uint256 toWad, uint256 maxAge) internal view returns (Read memory r) {
        uint256 gasBefore = gasleft();
        try feed.latestRoundData() returns (uint80, int256 answer, uint256, uint256 updatedAt, uint80) {
            r.answer = answer;
            r.updatedAt = updatedAt;
        } catch {
            // A caller cannot force this branch by starving the call of gas (EIP-150 keeps 1/64 back).
            if (gasleft() <= gasBefore / 64) revert FeedReverted(address(feed));
            r.status = Status.Reverted;
            return r;
        }
        if (r.answer <= 0) {
            r.status = Status.NonPositive;
            return r;
        }
        // An answer too large to scale is out of bounds, not an overflow panic.
        r.priceWad = uint256(r.answer) > type(uint128).max ? type(uint256).max : uint256(r.answer) * toWad;
        if (r.priceWad < minPrice || r.priceWad > maxPrice) {
            r.status = Status.OutOfBounds;
            r.priceWad = 0;
            return r;
        }
        if (r.updatedAt > block.timestamp) r.status = Status.Future;
        else if (r.updatedAt == 0 || block.timestamp - r.updatedAt > maxAge) r.status = Status.Stale;
    }

    /// @dev Reverts with the primary's specific error unless `r` (a primary read) is valid. A fallback's own error
    /// is never surfaced: when the fallback cannot serve, the primary's reason is what an operator must fix.
    function _revertPrimaryIfInvalid(Read memory r) internal view {
        if (r.status == Status.Ok) return;
        if (r.status == Status.Reverted) revert FeedReverted(address(PRIMARY));
        if (r.status == Status.NonPositive) revert NonPositivePrice(address(PRIMARY), r.answer);
        if (r.status == Status.OutOfBounds) {
            revert PriceOutOfBounds(
                address(PRIMARY),
                r.answer,
                int256(uint256(minPrice) / PRIMARY_TO_WAD),
                int256(uint256(maxPrice) / PRIMARY_TO_WAD)
            );
        }
        if (r.status == Status.Future) revert FuturePrice(address(PRIMARY), r.updatedAt);
        revert StalePrice(address(PRIMARY), r.updatedAt, PRIMARY_MAX_AGE);
    }
}
