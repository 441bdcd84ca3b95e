// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IInsuranceFund} from "../interfaces/IInsuranceFund.sol";
import {IBallastCore} from "../interfaces/IBallastCore.sol";
import {MathLib} from "../libraries/MathLib.sol";
import {DrawBoundsLib} from "../libraries/DrawBoundsLib.sol";

/// @title InsuranceFund
/// @notice The staked backstop of one Ballast market (an OpenZeppelin ERC-4626 vault of the loan asset). Stakers
/// earn the market's insurance premium; the core draws on the fund, after the market's reserves, when a
/// liquidation realizes bad debt. Draws are capped per event (default 30% of the fund, hard cap 50%) and over a
/// rolling window (default 50% per 24 hours, hard cap 80%). Nothing can pause a draw. The fund keeps its idle cash
/// parked in the core (`IBallastCore.storeFund`, counted in the market's `premiumOwed`), so a draw moves no tokens;
/// an exit takes it back (`claimPremium`) and parks the rest again.
/// @dev Withdrawals need a cooldown per amount: `cooldown(shares)` snapshots the shares that may leave, after
/// `cooldownPeriod` (default 10 days) and within the unstake window (default 2 days); shares that arrive later, by
/// mint or transfer, never join it, and shares sent away leave it. While the market has a pending shortfall that the
/// fund is expected to cover, `totalAssets` is lowered by the most it can draw (`drawBounds`), so no staker leaves at
/// the pre-loss price nor dodges the draw at a window boundary, and deposits wait (a deposit would raise the draw it
/// is priced against). Virtual shares (`_decimalsOffset` 6) defend an empty vault against the inflation attack.
contract InsuranceFund is IInsuranceFund, ERC4626, AccessControl {
    using MathLib for uint256;
    using SafeERC20 for IERC20;

    uint256 public constant MAX_DRAW_PER_EVENT_CAP = 0.5e18;
    uint256 public constant MAX_WINDOW_SHARE_CAP = 0.8e18;
    uint256 public constant MIN_WINDOW = 1 hours;
    uint256 public constant MAX_WINDOW = 30 days;
    uint256 public constant MAX_COOLDOWN = 30 days;
    uint256 public constant MIN_UNSTAKE_WINDOW = 1 hours;
    uint256 public constant MAX_UNSTAKE_WINDOW = 30 days;

    event DrawLimitsSet(uint64 maxDrawPerEvent, uint64 windowShare, uint64 windowLength);
    event CooldownParamsSet(uint64 cooldownPeriod, uint64 unstakeWindow);
    /// @notice `staker` put `shares` in cooldown at `start` (replacing any earlier cooldown).
    event CooldownStarted(address indexed staker, uint256 shares, uint256 start);
    /// @notice `staker`'s cooling shares fell to `shares` (redeemed, or sent away below the cooled amount).
    event CooldownReduced(address indexed staker, uint256 shares);
    /// @notice The core replaced this fund: no premium, no draw, no deposit; stakers leave without a cooldown.
    event Retired();
    event Drawn(uint256 amount, uint256 fromPremium, uint256 drawnInWindow);

    error OnlyCore();
    error ParameterOutOfBounds(bytes32 parameter, uint256 value);
    error CooldownNotStarted(address staker);
    error CooldownNotElapsed(address staker, uint256 unlocksAt);
    error UnstakeWindowExpired(address staker, uint256 expiredAt);
    error NothingToStake();
    error CooldownSharesExceeded(address staker, uint256 available, uint256 requested);
    error DepositDuringShortfall(uint256 pendingAfterReserves);
    /// @notice An exit during a pending shortfall would lower what the fund pays it (its caps are shares of its
    /// assets), moving that part of the loss onto the market's suppliers.
    error ExitLowersCover(uint256 coverBefore, uint256 coverAfter);
    error FundRetired();
    /// @notice The market's cash cannot pay this exit yet: what the core holds for the fund is premium that
    /// borrowers still owe beyond the market's cash (it becomes cash as they repay).
    error FundCashShort(uint256 available, uint256 needed);

    /// @notice A staker's cooldown: `shares` may leave in [start + cooldownPeriod, start + cooldownPeriod +
    /// unstakeWindow]. Never above the staker's balance.
    struct CooldownSnapshot {
        uint192 shares;
        uint64 start;
    }

    address public immutable core;
    uint256 public immutable marketId;

    // Storage (issue 15): a draw reads two slots of the fund, the parameters and the window, and writes one, the
    // window. Periods are at most 30 days, so 32 bits each in storage; their setters and getters keep 64 bits (the
    // ABI is unchanged: viem would decode a uint32 as a number, not a bigint), the setters check then narrow.

    // Slot 6, the parameters (the draw reads it; the exits and the pricing read `retired` and the periods with it).
    uint64 public maxDrawPerEvent = 0.3e18;
    uint64 public windowShare = 0.5e18;
    uint32 internal _windowLength = 24 hours;
    uint32 internal _cooldownPeriod = 10 days;
    uint32 internal _unstakeWindow = 2 days;
    /// @notice Set by the core when it replaces this fund.
    bool public retired;
    /// @dev Set when the core registers this fund (its `setInsuranceFund` calls `park()`): only then can the fund park
    /// cash (`storeFund` takes the market's fund only), and no deposit needs to read the core's config to know it.
    bool internal _registered;

    // Slot 7, the rolling window (the draw reads and writes it, one SSTORE): two buckets of one window each; what is
    // drawn counts for between one and two windows, so the cap holds over any window of `windowLength`
    // (conservative). The constructor sets `bucketIndex`, so the slot is never zero and a first draw does not pay
    // for a slot written from zero.
    uint32 public bucketIndex;
    uint112 public currentBucket;
    uint112 public previousBucket;

    mapping(address staker => CooldownSnapshot) public cooldowns;

    /// @param asset_ The market's loan asset.
    /// @param core_ The BallastCore.
    /// @param marketId_ The market insured.
    /// @param admin Holder of the admin role (the timelock), which sets the bounded limits.
    /// @param name_ ERC-20 name of the stake shares.
    /// @param symbol_ ERC-20 symbol of the stake shares.
    constructor(
        IERC20 asset_,
        address core_,
        uint256 marketId_,
        address admin,
        string memory name_,
        string memory symbol_
    ) ERC20(name_, symbol_) ERC4626(asset_) {
        if (core_ == address(0) || admin == address(0)) revert ParameterOutOfBounds("address", 0);
        core = core_;
        marketId = marketId_;
        bucketIndex = uint32(block.timestamp / _windowLength);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ------------------------------------------------------------------ governance

    /// @notice Sets the draw caps (admin), within the hard caps.
    /// @param perEvent Max share of gross assets one bad-debt event may draw (<= 50%).
    /// @param share Max share drawn over a rolling window (<= 80%).
    /// @param length Window length (1 hour to 30 days).
    function setDrawLimits(uint64 perEvent, uint64 share, uint64 length) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (perEvent > MAX_DRAW_PER_EVENT_CAP) revert ParameterOutOfBounds("maxDrawPerEvent", perEvent);
        if (share > MAX_WINDOW_SHARE_CAP) revert ParameterOutOfBounds("windowShare", share);
        if (length < MIN_WINDOW || length > MAX_WINDOW) revert ParameterOutOfBounds("windowLength", length);
        uint256 oldLength = _windowLength;
        (uint256 idx, uint256 cur, uint256 prev) = _window(oldLength);
        if (length != oldLength) {
            // A new bucket size: carry what was drawn into the current bucket so the cap stays conservative.
            (idx, cur, prev) = (block.timestamp / length, cur + prev, 0);
            _windowLength = uint32(length);
        }
        _storeWindow(idx, cur, prev);
        maxDrawPerEvent = perEvent;
        windowShare = share;
        emit DrawLimitsSet(perEvent, share, length);
    }

    /// @notice Sets the cooldown and unstake window (admin).
    /// @param newCooldown Wait after `cooldown(shares)` (<= 30 days).
    /// @param newWindow How long withdrawals stay open after the cooldown (1 hour to 30 days).
    function setCooldownParams(uint64 newCooldown, uint64 newWindow) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newCooldown > MAX_COOLDOWN) revert ParameterOutOfBounds("cooldown", newCooldown);
        if (newWindow < MIN_UNSTAKE_WINDOW || newWindow > MAX_UNSTAKE_WINDOW) {
            revert ParameterOutOfBounds("unstakeWindow", newWindow);
        }
        _cooldownPeriod = uint32(newCooldown);
        _unstakeWindow = uint32(newWindow);
        emit CooldownParamsSet(newCooldown, newWindow);
    }

    /// @notice The rolling window's length, in seconds (1 hour to 30 days).
    function windowLength() external view returns (uint64) {
        return _windowLength;
    }

    /// @notice The wait after `cooldown(shares)` before the shares may leave, in seconds (at most 30 days).
    function cooldownPeriod() external view returns (uint64) {
        return _cooldownPeriod;
    }

    /// @notice How long withdrawals stay open after the cooldown, in seconds (1 hour to 30 days).
    function unstakeWindow() external view returns (uint64) {
        return _unstakeWindow;
    }

    // ------------------------------------------------------------------ stakers

    /// @notice Puts `shares` of the caller's shares in cooldown (replacing any earlier cooldown): they may leave
    /// after `cooldownPeriod`, within `unstakeWindow`. Shares received later never join it.
    /// @param shares How many shares may leave in the window (at most the caller's balance).
    function cooldown(uint256 shares) external {
        uint256 balance = balanceOf(msg.sender);
        if (shares == 0) revert NothingToStake();
        if (shares > balance) revert CooldownSharesExceeded(msg.sender, balance, shares);
        cooldowns[msg.sender] = CooldownSnapshot(SafeCast.toUint192(shares), uint64(block.timestamp));
        emit CooldownStarted(msg.sender, shares, block.timestamp);
    }

    /// @notice When `staker`'s cooling shares may leave: [opensAt, closesAt]; zeros if none are cooling.
    /// @param staker The staker.
    /// @return opensAt Start of the unstake window.
    /// @return closesAt End of the unstake window.
    function unstakeWindowOf(address staker) public view returns (uint256 opensAt, uint256 closesAt) {
        CooldownSnapshot memory cd = cooldowns[staker];
        if (cd.shares == 0) return (0, 0);
        opensAt = cd.start + _cooldownPeriod;
        closesAt = opensAt + _unstakeWindow;
    }

    /// @notice Stakes `assets`; reverts `DepositDuringShortfall` while the market's pending shortfall exceeds its
    /// reserves (the fund's size then sets the draw, so no entry price is fair to both sides), `FundRetired` once
    /// replaced.
    /// @inheritdoc ERC4626
    function deposit(uint256 assets, address receiver) public override returns (uint256) {
        _checkDepositsOpen();
        return super.deposit(assets, receiver);
    }

    /// @notice Mints `shares`; closed in the same states as `deposit`.
    /// @inheritdoc ERC4626
    function mint(uint256 shares, address receiver) public override returns (uint256) {
        _checkDepositsOpen();
        return super.mint(shares, receiver);
    }

    /// @inheritdoc ERC4626
    function withdraw(uint256 assets, address receiver, address owner) public override returns (uint256) {
        _checkWindow(owner);
        _accrueMarket();
        uint256 shares = previewWithdraw(assets); // priced on the market accrued to now
        _checkCooled(owner, shares);
        _exit(owner, receiver, assets, shares);
        return shares;
    }

    /// @inheritdoc ERC4626
    function redeem(uint256 shares, address receiver, address owner) public override returns (uint256) {
        _checkWindow(owner);
        _checkCooled(owner, shares);
        _accrueMarket();
        uint256 assets = previewRedeem(shares); // priced on the market accrued to now
        _exit(owner, receiver, assets, shares);
        return assets;
    }

    /// @dev An exit's last check (the cover, after the window and the cooled amount), on what the core holds for
    /// the fund before any of it moves; then the cash taken back from the core (`claimPremium`, as far as the market's
    /// cash allows: `FundCashShort` if that is less than the payout), ERC-4626's `_withdraw` (which spends the
    /// caller's allowance), and the rest parked again. `maxRedeem` may understate what passes here (see there), so
    /// the checks are these, not ERC-4626's max.
    function _exit(address owner, address receiver, uint256 assets, uint256 shares) internal {
        _checkCover(assets);
        _claimFromCore(assets);
        uint256 held = IERC20(asset()).balanceOf(address(this));
        if (held < assets) revert FundCashShort(held, assets);
        // The rest goes back to the core before the payout leaves: a token hook on the payout that runs a
        // liquidation finds the fund's cash where a draw reaches it (review, session 4: F2).
        _park(held - assets);
        _withdraw(_msgSender(), receiver, owner, assets, shares);
    }

    /// @dev Books the market's interest up to now (the premium in the price of an exit); a retired fund has none.
    function _accrueMarket() internal {
        if (_live()) IBallastCore(core).accrueInterest(marketId);
    }

    /// @inheritdoc IInsuranceFund
    /// @dev Deposits and exits park by themselves. Tokens sent to the fund directly count in the share price at once
    /// (grossAssets) and in a draw and the draw views (maxDraw, drawBounds) once parked. A no-op while this fund is
    /// not the market's (not yet set, or retired).
    function park() public {
        if (msg.sender == core && !_registered) _registered = true; // the core's registration (setInsuranceFund)
        _park(IERC20(asset()).balanceOf(address(this)));
    }

    /// @dev Parks `amount` of the fund's tokens in the core, if the fund is the market's (registered, not retired).
    function _park(uint256 amount) internal {
        if (amount == 0 || !_live()) return;
        IERC20(asset()).forceApprove(core, amount);
        IBallastCore(core).storeFund(marketId, amount);
    }

    /// @dev Registered by the core and not replaced since: only then is what the core holds for the market's fund
    /// (`premiumOwed`) this fund's. Before registration it is the fund in place's (review, session 4: F1).
    function _live() internal view returns (bool) {
        return _registered && !retired;
    }

    /// @dev ERC-4626's deposit, then the new cash parked in the core.
    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override {
        super._deposit(caller, receiver, assets, shares);
        park();
    }

    /// @notice 0 while deposits are closed (pending shortfall above reserves, or retired), else unlimited.
    function maxDeposit(address) public view override returns (uint256) {
        return _depositsOpen() ? type(uint256).max : 0;
    }

    /// @notice 0 while deposits are closed (pending shortfall above reserves, or retired), else unlimited.
    function maxMint(address) public view override returns (uint256) {
        return _depositsOpen() ? type(uint256).max : 0;
    }

    /// @notice The assets of `maxRedeem(owner)`, rounded down.
    function maxWithdraw(address owner) public view override returns (uint256) {
        return previewRedeem(maxRedeem(owner));
    }

    /// @notice The cooling shares while the window is open (all shares once retired), else 0; also 0 while their
    /// exit would lower what the fund pays a pending shortfall (a smaller part may still pass: ERC-4626 lets max
    /// understate).
    function maxRedeem(address owner) public view override returns (uint256) {
        if (retired) return balanceOf(owner);
        if (!_isUnlocked(owner)) return 0;
        uint256 shares = cooldowns[owner].shares;
        return _coverKept(previewRedeem(shares)) ? shares : 0;
    }

    /// @inheritdoc IInsuranceFund
    function retire() external {
        if (msg.sender != core) revert OnlyCore();
        retired = true;
        emit Retired();
    }

    // ------------------------------------------------------------------ accounting

    /// @inheritdoc IInsuranceFund
    function grossAssets() public view returns (uint256) {
        uint256 held = IERC20(asset()).balanceOf(address(this));
        if (!_live()) return held; // what the core holds is the fund in place's (before registration, or once retired)
        return held + IBallastCore(core).market(marketId).premiumOwed;
    }

    /// @notice Gross assets less the most the market's pending shortfall can draw: the price every conversion uses,
    /// so a staker cannot leave ahead of a known loss, nor dodge it by leaving before a window boundary.
    function totalAssets() public view override returns (uint256) {
        if (!_live()) return grossAssets(); // not drawn
        return grossAssets() - expectedDraw();
    }

    /// @inheritdoc IInsuranceFund
    function asset() public view override(ERC4626, IInsuranceFund) returns (address) {
        return super.asset();
    }

    /// @notice The most the market's pending shortfall can draw from the fund after reserves (see drawBounds).
    /// @return The expected draw, rounded up (against the leaving staker).
    function expectedDraw() public view returns (uint256) {
        (, uint256 most) = drawBounds();
        return most;
    }

    /// @inheritdoc IInsuranceFund
    function drawBounds() public view returns (uint256 least, uint256 most) {
        return _drawBounds(0);
    }

    /// @dev The draw bounds if `out` assets left the fund first (0: as it is).
    function _drawBounds(uint256 out) internal view returns (uint256 least, uint256 most) {
        if (!_live()) return (0, 0); // not drawn: not yet registered, or replaced
        IBallastCore.Market memory m = IBallastCore(core).market(marketId);
        uint256 owed = uint256(m.pendingShortfall).zeroFloorSub(m.reserves);
        if (owed == 0) return (0, 0);
        // What a draw can reach (what the core holds for the fund, as coverLimited counts it), less what leaves.
        uint256 gross = uint256(m.premiumOwed).zeroFloorSub(out);
        uint256 cash = (uint256(m.totalSupplyAssets) + m.reserves + m.premiumOwed).zeroFloorSub(m.totalBorrowAssets);
        uint256 unbacked = uint256(m.premiumOwed).zeroFloorSub(cash);
        return
            DrawBoundsLib.bounds(
                owed,
                m.flaggedPositions,
                gross,
                _maxDraw(gross, drawnInWindow()),
                maxDrawPerEvent,
                unbacked
            );
    }

    /// @dev Whether paying out `assets` leaves both draw bounds where they are (always true with nothing pending).
    function _coverKept(uint256 assets) internal view returns (bool) {
        (uint256 least, uint256 most) = _drawBounds(0);
        if (most == 0) return true;
        (uint256 leastAfter, uint256 mostAfter) = _drawBounds(assets);
        return leastAfter >= least && mostAfter >= most;
    }

    /// @dev Reverts `ExitLowersCover` when paying out `assets` would lower what the fund pays the pending shortfall.
    function _checkCover(uint256 assets) internal view {
        if (_coverKept(assets)) return;
        (, uint256 most) = _drawBounds(0);
        (uint256 leastAfter, ) = _drawBounds(assets);
        revert ExitLowersCover(most, leastAfter);
    }

    /// @inheritdoc IInsuranceFund
    function maxDraw() public view returns (uint256) {
        return _maxDraw(_drawable(), drawnInWindow());
    }

    /// @dev What a draw can reach: what the core holds for the fund (parked cash and premium), as `coverLimited`
    /// counts it; tokens in the fund itself count once parked. 0 once retired (never drawn again).
    function _drawable() internal view returns (uint256) {
        return _live() ? IBallastCore(core).market(marketId).premiumOwed : 0;
    }

    /// @dev min(per-event cap, rolling-window cap left) for a fund of `gross` assets that drew `inWindow` in the
    /// current window; both rounded down.
    function _maxDraw(uint256 gross, uint256 inWindow) internal view returns (uint256) {
        return gross.wMulDown(maxDrawPerEvent).min(_windowCapLeft(gross, inWindow));
    }

    /// @dev windowShare x (gross + inWindow) - inWindow, the cap rounded down, floored at 0.
    function _windowCapLeft(uint256 gross, uint256 inWindow) internal view returns (uint256) {
        return (gross + inWindow).wMulDown(windowShare).zeroFloorSub(inWindow);
    }

    /// @notice What has been drawn in the current rolling window (both buckets).
    function drawnInWindow() public view returns (uint256) {
        (, uint256 cur, uint256 prev) = _window(_windowLength);
        return cur + prev;
    }

    /// @notice What the rolling cap still allows: windowShare x (drawable assets + drawn in window) - drawn in window,
    /// the drawable assets being what the core holds for the fund (see maxDraw).
    function windowCapLeft() public view returns (uint256) {
        return _windowCapLeft(_drawable(), drawnInWindow());
    }

    /// @inheritdoc IInsuranceFund
    function coverLimited(uint256 wanted, uint256 premiumOwed) external returns (uint256 drawn, uint256 fromPremium) {
        if (msg.sender != core) revert OnlyCore();
        (uint256 idx, uint256 cur, uint256 prev) = _window(_windowLength);
        uint256 inWindow = cur + prev;
        // maxDraw() without the call back: its caps are shares of what the core holds for the fund (parked cash and
        // premium), which the core passes. The whole draw is bookkeeping in the core (drawn <= maxDrawPerEvent x
        // premiumOwed: no tokens move). Tokens sent to the fund directly count once parked (park()).
        drawn = wanted.min(_maxDraw(premiumOwed, inWindow));
        if (drawn == 0) return (0, 0);
        fromPremium = drawn;
        _storeWindow(idx, cur + drawn, prev);
        emit Drawn(drawn, fromPremium, inWindow + drawn);
    }

    // ------------------------------------------------------------------ internals

    /// @dev Six decimals of virtual shares: a donation to an empty fund costs the donor far more than it gains.
    function _decimalsOffset() internal pure override returns (uint8) {
        return 6;
    }

    /// @dev The window rolled to now for buckets of `length` seconds, without writing: the bucket index, what was
    /// drawn in the current bucket and in the one before (0 for buckets that ended more than one bucket ago).
    function _window(uint256 length) internal view returns (uint256 idx, uint256 cur, uint256 prev) {
        idx = block.timestamp / length;
        uint256 stored = bucketIndex;
        if (idx == stored) return (idx, currentBucket, previousBucket);
        if (idx == stored + 1) return (idx, 0, currentBucket);
    }

    /// @dev Writes the window's slot (`cur` checked to fit; `prev` is a stored bucket or 0).
    function _storeWindow(uint256 idx, uint256 cur, uint256 prev) internal {
        bucketIndex = uint32(idx);
        currentBucket = SafeCast.toUint112(cur);
        previousBucket = uint112(prev);
    }

    function _isUnlocked(address owner) internal view returns (bool) {
        (uint256 opensAt, uint256 closesAt) = unstakeWindowOf(owner);
        return opensAt != 0 && block.timestamp >= opensAt && block.timestamp <= closesAt;
    }

    /// @dev Reverts unless `owner`'s unstake window is open (a retired fund has none).
    function _checkWindow(address owner) internal view {
        if (retired) return;
        (uint256 opensAt, uint256 closesAt) = unstakeWindowOf(owner);
        if (opensAt == 0) revert CooldownNotStarted(owner);
        if (block.timestamp < opensAt) revert CooldownNotElapsed(owner, opensAt);
        if (block.timestamp > closesAt) revert UnstakeWindowExpired(owner, closesAt);
    }

    /// @dev Reverts if `shares` exceed `owner`'s cooling shares (any amount may leave a retired fund).
    function _checkCooled(address owner, uint256 shares) internal view {
        uint256 cooled = cooldowns[owner].shares;
        if (!retired && shares > cooled) revert CooldownSharesExceeded(owner, cooled, shares);
    }

    /// @dev Deposits wait while the market's pending shortfall exceeds its reserves (the draw then depends on this
    /// fund's size) and stop for good once the fund is retired.
    function _depositsOpen() internal view returns (bool) {
        return !retired && _pendingAfterReserves() == 0;
    }

    function _checkDepositsOpen() internal view {
        if (retired) revert FundRetired();
        uint256 pending = _pendingAfterReserves();
        if (pending != 0) revert DepositDuringShortfall(pending);
    }

    /// @dev The market's pending shortfall above its reserves (stored values; reserves only grow by accrual, so the
    /// figure errs towards closing deposits).
    function _pendingAfterReserves() internal view returns (uint256) {
        IBallastCore.Market memory m = IBallastCore(core).market(marketId);
        return uint256(m.pendingShortfall).zeroFloorSub(m.reserves);
    }

    /// @dev What the core holds for the fund (parked cash and premium) counts in its assets: claim it before paying
    /// out if the fund's own balance is short.
    function _claimFromCore(uint256 assets) internal {
        // Only the market's fund has a claim: a retired one was paid back when it was replaced.
        if (_live() && IERC20(asset()).balanceOf(address(this)) < assets) IBallastCore(core).claimPremium(marketId);
    }

    /// @dev Cooling shares only ever shrink here: a redemption uses them up, and shares sent away take the cooled
    /// amount down to what the sender still holds. Shares received (mint or transfer) never touch the receiver's.
    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (from == address(0)) return;
        CooldownSnapshot storage cd = cooldowns[from];
        uint256 cooled = cd.shares;
        if (cooled == 0) return;
        uint256 left = to == address(0) ? cooled.zeroFloorSub(value) : cooled.min(balanceOf(from));
        if (left == cooled) return;
        if (left == 0) delete cooldowns[from];
        else cd.shares = uint192(left);
        emit CooldownReduced(from, left);
    }
}
