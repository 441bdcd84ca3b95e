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
/// @dev Wiring (feeds, ages, decimals, sequencer) and the bounds are immutable (every `price()` reads the bounds: as
/// immutables they cost no storage read): a changed heartbeat or bound means a new adapter set through the timelock
/// (`BallastCore.setAdapter`).
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

    /// @notice Bounds in USD per whole token, 18 decimals (fixed at deployment).
    uint128 public immutable minPrice;
    uint128 public immutable maxPrice;
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
        // An answer outside the bounds is invalid: the market halts rather than use it.
        if (p.minPrice == 0 || p.maxPrice <= p.minPrice) revert InvalidConfig("bounds");
        minPrice = p.minPrice;
        maxPrice = p.maxPrice;
        emit BoundsSet(p.minPrice, p.maxPrice);
    }

    /// @notice Records the primary's current valid answer as the reference a fallback is compared with when the
    /// primary itself stops answering. Permissionless; keepers call it routinely.
    function checkpoint() external {
        (bool ok, int256 answer, uint256 updatedAt) = _latestRoundData(PRIMARY);
        (Status status, uint256 wadPrice) = _classify(ok, answer, updatedAt, PRIMARY_TO_WAD, PRIMARY_MAX_AGE);
        if (status != Status.Ok) _revertPrimary(status, answer, updatedAt);
        lastPrimaryPrice = uint128(wadPrice);
        lastPrimaryUpdatedAt = uint64(updatedAt);
        emit Checkpointed(wadPrice, updatedAt);
    }

    /// @inheritdoc IPriceAdapter
    function price() external view returns (uint256) {
        // Cannot overflow: the price is at most `maxPrice` (a uint128) and WAD_TO_PRICE at most 1e18.
        unchecked {
            return _priceWad() * WAD_TO_PRICE;
        }
    }

    /// @notice The validated price of one whole token in USD with 18 decimals (reverts like `price`).
    /// @return The price.
    function priceWad() external view returns (uint256) {
        return _priceWad();
    }

    /// @dev The hot path: a valid primary answer returns at once (one branch for all its checks, `_validWad`);
    /// anything else goes to `_fallbackOrRevert`, which says why (`_classify`).
    function _priceWad() internal view returns (uint256 wadPrice) {
        if (address(SEQUENCER) != address(0)) _checkSequencer();
        (bool ok, int256 answer, uint256 updatedAt) = _latestRoundData(PRIMARY);
        wadPrice = _validWad(answer, updatedAt, PRIMARY_TO_WAD, PRIMARY_MAX_AGE);
        if (wadPrice == 0) return _fallbackOrRevert(ok, answer, updatedAt);
    }

    /// @dev The fallback's answer when the primary's answer (`ok`, `answer`, `updatedAt`) is invalid, else the
    /// primary's own error.
    function _fallbackOrRevert(bool ok, int256 answer, uint256 updatedAt) internal view returns (uint256) {
        (Status status, uint256 wadPrice) = _classify(ok, answer, updatedAt, PRIMARY_TO_WAD, PRIMARY_MAX_AGE);
        if (address(FALLBACK) != address(0)) {
            // A reverted fallback read answers 0: never valid.
            (, int256 fAnswer, uint256 fUpdatedAt) = _latestRoundData(FALLBACK);
            uint256 fPrice = _validWad(fAnswer, fUpdatedAt, FALLBACK_TO_WAD, FALLBACK_MAX_AGE);
            if (fPrice != 0) {
                // Reference: the primary's latest answer if it is a real in-bounds price (only late or future),
                // else the last checkpointed valid answer; either only while at most MAX_REFERENCE_AGE old.
                bool own = status == Status.Stale || status == Status.Future;
                uint256 ref = own ? wadPrice : lastPrimaryPrice;
                uint256 refAt = own ? updatedAt : lastPrimaryUpdatedAt;
                if (ref == 0 || (refAt < block.timestamp && block.timestamp - refAt > MAX_REFERENCE_AGE)) {
                    revert NoFallbackReference();
                }
                uint256 diff = fPrice > ref ? fPrice - ref : ref - fPrice;
                // Deviation rounded up: a borderline fallback is rejected.
                if ((diff * 1e18 + ref - 1) / ref > MAX_FALLBACK_DEVIATION) {
                    revert FallbackDeviationTooHigh(int256(ref), int256(fPrice));
                }
                return fPrice;
            }
        }
        _revertPrimary(status, answer, updatedAt); // always reverts
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

    /// @dev Reverts unless the L2 sequencer (set) is up and past its grace period.
    function _checkSequencer() internal view {
        address sequencer = address(SEQUENCER);
        bool ok;
        int256 answer;
        uint256 startedAt;
        // The low-level `latestRoundData()` of `_latestRoundData`, checked by length as before: a reverted call or
        // a short answer is down; a round id beyond uint80 reverts without reason, as `abi.decode` does.
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(0, 0xfeaf968c00000000000000000000000000000000000000000000000000000000)
            ok := staticcall(gas(), sequencer, 0, 4, m, 0xa0)
            ok := and(ok, iszero(lt(returndatasize(), 0xa0))) // after the call: Yul evaluates right to left
            if ok {
                if or(shr(80, mload(m)), shr(80, mload(add(m, 0x80)))) {
                    revert(0, 0)
                }
                answer := mload(add(m, 0x20))
                startedAt := mload(add(m, 0x40))
            }
        }
        // answer 0 = up, 1 = down; startedAt 0 = uptime feed not initialised (Arbitrum).
        if (!ok || answer != 0 || startedAt == 0) revert SequencerDown();
        if (startedAt > block.timestamp || block.timestamp - startedAt <= SEQUENCER_GRACE_PERIOD) {
            revert GracePeriodNotOver(startedAt, SEQUENCER_GRACE_PERIOD);
        }
    }

    /// @dev `feed.latestRoundData()` without a high-level call's memory allocation and full decoding, with the same
    /// outcomes: `ok` is false when the call reverted (a reverting feed, retired or broken, is a status, not a
    /// bubbled revert); a successful answer shorter than its five words, or with a round id beyond uint80, reverts
    /// without reason as the ABI decoder does. Only `answer` and `updatedAt` are kept.
    function _latestRoundData(
        AggregatorV3Interface feed
    ) internal view returns (bool ok, int256 answer, uint256 updatedAt) {
        uint256 gasBefore = gasleft();
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(0, 0xfeaf968c00000000000000000000000000000000000000000000000000000000) // latestRoundData()
            ok := staticcall(gas(), feed, 0, 4, m, 0xa0)
            if ok {
                if or(lt(returndatasize(), 0xa0), or(shr(80, mload(m)), shr(80, mload(add(m, 0x80))))) {
                    revert(0, 0)
                }
                answer := mload(add(m, 0x20))
                updatedAt := mload(add(m, 0x60))
            }
        }
        // A caller cannot force a failed read by starving the call of gas (EIP-150 keeps 1/64 back).
        if (!ok && gasleft() <= gasBefore / 64) revert FeedReverted(address(feed));
    }

    /// @dev The answer in USD per whole token, 18 decimals, if it passes every check of `_classify`, else 0 (a valid
    /// price is at least `minPrice`, never 0; a reverted read's answer is 0). All the checks in one branch: the hot
    /// path's price. The unit tests hold it to `_classify` at every limit.
    function _validWad(
        int256 answer,
        uint256 updatedAt,
        uint256 toWad,
        uint256 maxAge
    ) internal view returns (uint256 wadPrice) {
        uint256 lo = minPrice;
        uint256 hi = maxPrice;
        assembly ("memory-safe") {
            // Below 2^128, times `toWad` (at most 1e18), the product fits; a future round's age wraps, so fails.
            wadPrice := mul(answer, toWad)
            let valid := and(
                and(sgt(answer, 0), lt(answer, shl(128, 1))),
                and(
                    and(iszero(lt(wadPrice, lo)), iszero(gt(wadPrice, hi))),
                    and(iszero(iszero(updatedAt)), iszero(gt(sub(timestamp(), updatedAt), maxAge)))
                )
            )
            wadPrice := mul(wadPrice, valid)
        }
    }

    /// @dev Why a read (`ok`, `answer`, `updatedAt`) is or is not a valid price, first failed check first; `wadPrice`
    /// is the answer in USD per whole token, 18 decimals, when status is Ok, Stale or Future, else 0.
    function _classify(
        bool ok,
        int256 answer,
        uint256 updatedAt,
        uint256 toWad,
        uint256 maxAge
    ) internal view returns (Status status, uint256 wadPrice) {
        if (!ok) return (Status.Reverted, 0);
        if (answer <= 0) return (Status.NonPositive, 0);
        // An answer too large to scale is out of bounds, not an overflow panic. Unchecked: below 2^128 times
        // `toWad` (at most 1e18) the product fits, and the age is taken only when `updatedAt` is not in the future.
        unchecked {
            wadPrice = uint256(answer) > type(uint128).max ? type(uint256).max : uint256(answer) * toWad;
            if (wadPrice < minPrice || wadPrice > maxPrice) return (Status.OutOfBounds, 0);
            if (updatedAt > block.timestamp) status = Status.Future;
            else if (updatedAt == 0 || block.timestamp - updatedAt > maxAge) status = Status.Stale;
        }
    }

    /// @dev Reverts with the primary's specific error for an invalid primary read (`status` is never Ok). A
    /// fallback's own error is never surfaced: when the fallback cannot serve, the primary's reason is what an
    /// operator must fix.
    function _revertPrimary(Status status, int256 answer, uint256 updatedAt) internal view {
        if (status == Status.Reverted) revert FeedReverted(address(PRIMARY));
        if (status == Status.NonPositive) revert NonPositivePrice(address(PRIMARY), answer);
        if (status == Status.OutOfBounds) {
            revert PriceOutOfBounds(
                address(PRIMARY),
                answer,
                int256(uint256(minPrice) / PRIMARY_TO_WAD),
                int256(uint256(maxPrice) / PRIMARY_TO_WAD)
            );
        }
        if (status == Status.Future) revert FuturePrice(address(PRIMARY), updatedAt);
        revert StalePrice(address(PRIMARY), updatedAt, PRIMARY_MAX_AGE);
    }
}
