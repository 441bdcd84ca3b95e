// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IBallastCore} from "../interfaces/IBallastCore.sol";
import {IPriceAdapter} from "../interfaces/IPriceAdapter.sol";
import {IInsuranceFund} from "../interfaces/IInsuranceFund.sol";
import {IBallastLiquidateCallback} from "../interfaces/IBallastCallbacks.sol";
import {MathLib} from "../libraries/MathLib.sol";
import {SharesMathLib} from "../libraries/SharesMathLib.sol";
import {InterestLib} from "../libraries/InterestLib.sol";
import {ConstantsLib as C} from "../libraries/ConstantsLib.sol";
import {ConfigLogic} from "../libraries/ConfigLogic.sol";
import {LiquidationLogic} from "../libraries/LiquidationLogic.sol";
import {PositionLib} from "../libraries/PositionLib.sol";

/// @title BallastCore
/// @notice The singleton that holds every Ballast market. See docs/ARCHITECTURE.md.
/// @dev Every state write of an operation happens before any token transfer or callback, and every entry point
/// that moves tokens holds a (transient) reentrancy lock. Rounding always favours the protocol; each call says
/// which way it rounds.
contract BallastCore is IBallastCore, AccessControl, ReentrancyGuardTransient, Multicall, EIP712 {
    using MathLib for uint256;
    using SharesMathLib for uint256;
    using SafeERC20 for IERC20;
    using SafeCast for uint256;
    using PositionLib for Position;

    /// @notice Sets market parameters within the hard bounds.
    bytes32 public constant RISK_ROLE = keccak256("BALLAST_RISK_ROLE");
    /// @notice Pauses and unpauses each action of each market.
    bytes32 public constant GUARDIAN_ROLE = C.GUARDIAN_ROLE;

    uint256 internal _marketCount;
    mapping(uint256 id => Market) internal _market;
    mapping(uint256 id => MarketConfig) internal _config;
    mapping(uint256 id => Collateral[8]) internal _collateral;
    mapping(uint256 id => mapping(address user => Position)) internal _position;
    mapping(address authorizer => mapping(address authorized => bool)) public isAuthorized;
    mapping(address authorizer => uint256) public nonce;

    /// @param admin The initial admin (the TimelockController in production deployments).
    constructor(address admin) EIP712("Ballast", "1") {
        if (admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // =================================================================== governance

    /// @inheritdoc IBallastCore
    function createMarket(MarketParams calldata p) external onlyRole(DEFAULT_ADMIN_ROLE) returns (uint256 id) {
        id = ++_marketCount;
        ConfigLogic.createMarket(_market, _config, _collateral, id, p);
    }

    /// @inheritdoc IBallastCore
    function addCollateral(uint256 id, CollateralParams calldata p) external onlyRole(DEFAULT_ADMIN_ROLE) {
        ConfigLogic.addCollateral(_config, _collateral, id, p);
    }

    /// @inheritdoc IBallastCore
    function setInsuranceFund(uint256 id, IInsuranceFund fund) external onlyRole(DEFAULT_ADMIN_ROLE) {
        (Market storage m, MarketConfig storage c) = _accrued(id); // premium earned so far belongs to the fund in place
        ConfigLogic.setInsuranceFund(c, m, id, address(fund));
    }

    /// @inheritdoc IBallastCore
    function setAdapter(uint256 id, int256 index, IPriceAdapter adapter) external onlyRole(DEFAULT_ADMIN_ROLE) {
        ConfigLogic.setAdapter(_config, _collateral, id, index, address(adapter));
    }

    /// @inheritdoc IBallastCore
    function setCollateralRisk(
        uint256 id,
        uint256 index,
        uint64 ltv,
        uint64 liquidationThreshold,
        uint64 liquidationBonus,
        uint128 supplyCap
    ) external onlyRole(RISK_ROLE) {
        ConfigLogic.setCollateralRisk(
            _config,
            _collateral,
            id,
            index,
            ltv,
            liquidationThreshold,
            liquidationBonus,
            supplyCap
        );
    }

    /// @inheritdoc IBallastCore
    function setCaps(uint256 id, uint128 supplyCap, uint128 borrowCap) external onlyRole(RISK_ROLE) {
        ConfigLogic.setCaps(_config, id, supplyCap, borrowCap);
    }

    /// @inheritdoc IBallastCore
    function setMinAmounts(uint256 id, uint128 minBorrow, uint128 minLeftover) external onlyRole(RISK_ROLE) {
        ConfigLogic.setMinAmounts(_config, id, minBorrow, minLeftover);
    }

    /// @inheritdoc IBallastCore
    function setRateModel(uint256 id, RateModel calldata rateModel) external onlyRole(RISK_ROLE) {
        (, MarketConfig storage c) = _accrued(id); // interest up to now at the old model
        ConfigLogic.setRateModel(c, id, rateModel);
    }

    /// @inheritdoc IBallastCore
    function setFactors(uint256 id, uint64 reserveFactor, uint64 insurancePremiumFactor) external onlyRole(RISK_ROLE) {
        (Market storage m, MarketConfig storage c) = _accrued(id); // interest up to now at the old factors
        ConfigLogic.setFactors(c, m, id, reserveFactor, insurancePremiumFactor);
    }

    /// @inheritdoc IBallastCore
    function setLiquidationParams(
        uint256 id,
        uint64 closeFactorHfThreshold,
        uint64 protocolBonusShare,
        uint64 liquidationGracePeriod
    ) external onlyRole(RISK_ROLE) {
        ConfigLogic.setLiquidationParams(
            _config,
            id,
            closeFactorHfThreshold,
            protocolBonusShare,
            liquidationGracePeriod
        );
    }

    /// @inheritdoc IBallastCore
    function setReserveFloor(uint256 id, uint128 floor) external onlyRole(DEFAULT_ADMIN_ROLE) {
        ConfigLogic.setReserveFloor(_config, id, floor);
    }

    /// @inheritdoc IBallastCore
    function setPaused(uint256 id, uint16 paused) external onlyRole(GUARDIAN_ROLE) {
        ConfigLogic.setPaused(_config, _market, id, paused);
    }

    /// @inheritdoc IBallastCore
    function setExactTransfers(uint256 id, bool exact) external {
        ConfigLogic.setExactTransfers(_config, id, exact); // role checks there (admin, or guardian to revoke)
    }

    /// @inheritdoc IBallastCore
    function withdrawReserves(
        uint256 id,
        uint256 amount,
        address to
    ) external onlyRole(DEFAULT_ADMIN_ROLE) nonReentrant {
        (Market storage m, MarketConfig storage c) = _accrued(id);
        ConfigLogic.withdrawReserves(m, c, id, amount, to);
    }

    /// @inheritdoc IBallastCore
    function withdrawProtocolCollateral(
        uint256 id,
        uint256 index,
        uint256 amount,
        address to
    ) external onlyRole(DEFAULT_ADMIN_ROLE) nonReentrant {
        ConfigLogic.withdrawProtocolCollateral(_config, _collateral, id, index, amount, to);
    }

    // =================================================================== lenders

    /// @inheritdoc IBallastCore
    function supply(
        uint256 id,
        uint256 assets,
        uint256 shares,
        address onBehalf
    ) external nonReentrant returns (uint256, uint256) {
        MarketConfig storage c = _requireMarket(id);
        _whenNotPaused(id, c, C.PAUSE_SUPPLY);
        _checkOneOf(assets, shares);
        if (onBehalf == address(0)) revert ZeroAddress();
        Market storage m = _market[id];
        _accrue(id, m, c);

        (uint256 totalAssets, uint256 totalShares) = _supplyPricing(m, c, false);
        if (assets > 0) {
            shares = assets.toSharesDown(totalAssets, totalShares); // mint rounded down
            if (shares == 0) revert ZeroShares(assets);
        } else {
            assets = shares.toAssetsUp(totalAssets, totalShares); // pay rounded up
        }
        uint256 newTotal = m.totalSupplyAssets + assets;
        // Governance's cap, never above MAX_SUPPLY_ASSETS: interest keeps room to accrue below the uint96 totals.
        uint256 cap = uint256(c.supplyCap).min(InterestLib.MAX_SUPPLY_ASSETS);
        if (newTotal > cap) revert SupplyCapExceeded(id, newTotal, cap);

        m.totalSupplyAssets = newTotal.toUint96();
        m.totalSupplyShares += shares.toUint120();
        _position[id][onBehalf].supplyShares += shares.toUint128();
        emit Supply(id, msg.sender, onBehalf, assets, shares);

        _pull(c, c.loanToken, assets);
        return (assets, shares);
    }

    /// @inheritdoc IBallastCore
    function withdraw(
        uint256 id,
        uint256 assets,
        uint256 shares,
        address onBehalf,
        address receiver
    ) external nonReentrant returns (uint256, uint256) {
        MarketConfig storage c = _requireMarket(id);
        _whenNotPaused(id, c, C.PAUSE_WITHDRAW);
        _checkOneOf(assets, shares);
        if (receiver == address(0)) revert ZeroAddress();
        _checkAuth(onBehalf);
        Market storage m = _market[id];
        _accrue(id, m, c);

        (uint256 totalAssets, uint256 totalShares) = _supplyPricing(m, c, true);
        if (assets > 0) {
            shares = assets.toSharesUp(totalAssets, totalShares); // burn rounded up
        } else {
            assets = shares.toAssetsDown(totalAssets, totalShares); // pay rounded down
        }
        Position storage pos = _position[id][onBehalf];
        if (shares > pos.supplyShares) revert InsufficientBalance(pos.supplyShares, shares);

        pos.supplyShares -= uint128(shares);
        m.totalSupplyShares -= uint120(shares);
        _removeSupplyAssets(id, m, assets);
        emit Withdraw(id, msg.sender, onBehalf, receiver, assets, shares);

        IERC20(c.loanToken).safeTransfer(receiver, assets);
        return (assets, shares);
    }

    /// @dev Liquidity: what stays supplied must still cover every borrow, so reserves and premium owed stay
    /// backed by cash.
    function _removeSupplyAssets(uint256 id, Market storage m, uint256 assets) internal {
        uint256 supplied = m.totalSupplyAssets;
        if (m.totalBorrowAssets + assets > supplied) {
            revert InsufficientLiquidity(id, supplied.zeroFloorSub(m.totalBorrowAssets), assets);
        }
        m.totalSupplyAssets = uint96(supplied - assets);
    }

    // =================================================================== borrowers

    /// @inheritdoc IBallastCore
    function supplyCollateral(uint256 id, uint256 index, uint256 assets, address onBehalf) external nonReentrant {
        MarketConfig storage c = _requireMarket(id);
        _whenNotPaused(id, c, C.PAUSE_COLLATERAL_IN);
        Collateral storage col = _requireCollateral(id, c, index);
        if (assets == 0) revert ZeroAmount();
        if (onBehalf == address(0)) revert ZeroAddress();

        uint256 newTotal = col.totalSupplied + assets;
        if (newTotal > col.supplyCap) revert CollateralCapExceeded(id, index, newTotal, col.supplyCap);
        Position storage pos = _position[id][onBehalf];
        uint256 bal = pos.collateralOf(index);
        bool indebted = pos.borrowShares != 0; // only a position with debt can carry a flag
        // A collateral new to a position with debt needs a valid price (reverts with the adapter's error): else
        // 1 wei of an asset whose feed is down would make liquidation revert. More of a held one never needs one.
        if (bal == 0 && indebted) col.adapter.price();
        col.totalSupplied = newTotal.toUint128();
        pos.setCollateral(index, bal + assets); // <= the collateral's total, a uint128
        emit SupplyCollateral(id, msg.sender, onBehalf, index, assets);

        // A flagged position that is no longer short is cleared (best effort: never needs a valid price).
        if (indebted && pos.shortfall != 0) _refreshShortfall(id, onBehalf, pos);

        _pull(c, col.token, assets);
    }

    /// @inheritdoc IBallastCore
    function withdrawCollateral(
        uint256 id,
        uint256 index,
        uint256 assets,
        address onBehalf,
        address receiver
    ) external nonReentrant {
        MarketConfig storage c = _requireMarket(id);
        _whenNotPaused(id, c, C.PAUSE_COLLATERAL_OUT);
        Collateral storage col = _requireCollateral(id, c, index);
        if (assets == 0) revert ZeroAmount();
        if (receiver == address(0)) revert ZeroAddress();
        _checkAuth(onBehalf);
        Market storage m = _market[id];
        _accrue(id, m, c);

        Position storage pos = _position[id][onBehalf];
        uint256 bal = pos.collateralOf(index);
        if (assets > bal) revert InsufficientBalance(bal, assets);
        pos.setCollateral(index, bal - assets);
        col.totalSupplied -= uint128(assets);
        if (pos.borrowShares != 0) _requireWithinLtv(id, m, c, onBehalf, pos);
        emit WithdrawCollateral(id, msg.sender, onBehalf, receiver, index, assets);

        IERC20(col.token).safeTransfer(receiver, assets);
    }

    /// @inheritdoc IBallastCore
    function borrow(
        uint256 id,
        uint256 assets,
        uint256 shares,
        address onBehalf,
        address receiver
    ) external nonReentrant returns (uint256, uint256) {
        MarketConfig storage c = _requireMarket(id);
        _whenNotPaused(id, c, C.PAUSE_BORROW);
        _checkOneOf(assets, shares);
        if (receiver == address(0)) revert ZeroAddress();
        _checkAuth(onBehalf);
        Market storage m = _market[id];
        _accrue(id, m, c);

        if (assets > 0) {
            shares = assets.toSharesUp(m.totalBorrowAssets, m.totalBorrowShares); // debt minted rounded up
        } else {
            assets = shares.toAssetsDown(m.totalBorrowAssets, m.totalBorrowShares); // paid out rounded down
        }
        Position storage pos = _position[id][onBehalf];
        uint256 newBorrow = m.totalBorrowAssets + assets;
        if (newBorrow > c.borrowCap) revert BorrowCapExceeded(id, newBorrow, c.borrowCap);
        if (newBorrow > m.totalSupplyAssets) {
            revert InsufficientLiquidity(id, uint256(m.totalSupplyAssets).zeroFloorSub(m.totalBorrowAssets), assets);
        }

        pos.borrowShares += shares.toUint128();
        m.totalBorrowShares += shares.toUint120();
        m.totalBorrowAssets = newBorrow.toUint96();

        uint256 debt = uint256(pos.borrowShares).toAssetsUp(newBorrow, m.totalBorrowShares);
        if (debt < c.minBorrow) revert DebtBelowMinimum(id, debt, c.minBorrow);
        _requireWithinLtv(id, m, c, onBehalf, pos);
        emit Borrow(id, msg.sender, onBehalf, receiver, assets, shares);

        IERC20(c.loanToken).safeTransfer(receiver, assets);
        return (assets, shares);
    }

    /// @inheritdoc IBallastCore
    function repay(
        uint256 id,
        uint256 assets,
        uint256 shares,
        address onBehalf
    ) external nonReentrant returns (uint256, uint256) {
        MarketConfig storage c = _requireMarket(id);
        _checkOneOf(assets, shares);
        Market storage m = _market[id];
        _accrue(id, m, c);

        Position storage pos = _position[id][onBehalf];
        uint256 posShares = pos.borrowShares;
        if (posShares == 0) revert NoDebt(id, onBehalf);
        if (assets > 0) {
            shares = assets.toSharesDown(m.totalBorrowAssets, m.totalBorrowShares); // burn rounded down
            if (shares == 0) revert ZeroShares(assets);
        } else {
            assets = shares.toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares); // pay rounded up
        }
        if (shares > posShares) revert InsufficientBalance(posShares, shares);

        uint256 sharesLeft = posShares - shares;
        pos.borrowShares = uint128(sharesLeft);
        m.totalBorrowShares -= uint120(shares);
        m.totalBorrowAssets = uint96(uint256(m.totalBorrowAssets).zeroFloorSub(assets));
        if (sharesLeft != 0) {
            uint256 debtLeft = sharesLeft.toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares);
            if (debtLeft < c.minLeftover) revert DebtBelowMinimum(id, debtLeft, c.minLeftover);
        }
        emit Repay(id, msg.sender, onBehalf, assets, shares);

        // pendingShortfall shares a slot read by the accrual: no flag in the market, no cold read of the position's.
        if (m.shortfallPending && pos.shortfall != 0) _refreshShortfall(id, onBehalf, pos);

        _pull(c, c.loanToken, assets);
        return (assets, shares);
    }

    // =================================================================== liquidation

    /// @inheritdoc IBallastCore
    function liquidate(
        uint256 id,
        address borrower,
        uint256 index,
        uint256 repayAssets,
        address receiver,
        bytes calldata data
    ) external nonReentrant returns (uint256, uint256) {
        if (receiver == address(0)) revert ZeroAddress();
        if (repayAssets == 0) revert ZeroAmount();
        (LiquidationLogic.Liq memory liq, MarketConfig storage c) = _liquidateState(id, borrower, index, repayAssets);

        // Interactions, after every state write: collateral out, optional callback, loan assets in.
        uint256 toReceiver = liq.seized - liq.protocolSeized;
        IERC20(liq.colToken).safeTransfer(receiver, toReceiver);
        if (data.length > 0) {
            IBallastLiquidateCallback(msg.sender).onBallastLiquidate(id, liq.repaid, toReceiver, data);
        }
        _pull(c, liq.loanToken, liq.repaid);
        return (liq.seized, liq.repaid);
    }

    function _liquidateState(
        uint256 id,
        address borrower,
        uint256 index,
        uint256 repayAssets
    ) internal returns (LiquidationLogic.Liq memory liq, MarketConfig storage c) {
        c = _requireMarket(id);
        _whenNotPaused(id, c, C.PAUSE_LIQUIDATE);
        _requireCollateral(id, c, index);
        Market storage m = _market[id];
        // The grace period's end shares no slot a liquidation reads otherwise: read only once one was ever set.
        if (c.flags & C.FLAG_GRACE_SET != 0 && block.timestamp < m.liquidationGraceUntil) {
            revert LiquidationGracePeriod(id, m.liquidationGraceUntil);
        }
        _accrue(id, m, c);
        liq.id = id;
        liq.borrower = borrower;
        liq.index = index;
        liq.repayAssets = repayAssets;
        liq.liquidator = msg.sender;
        liq = LiquidationLogic.liquidate(m, c, _collateral[id], _position[id][borrower], liq);
    }

    // =================================================================== pending shortfall

    /// @inheritdoc IBallastCore
    function flagShortfall(uint256 id, address borrower) external nonReentrant returns (uint256) {
        (Market storage m, MarketConfig storage c) = _accrued(id);
        return LiquidationLogic.flagShortfall(m, c, _collateral[id], _position[id][borrower], id, borrower);
    }

    /// @inheritdoc IBallastCore
    function clearShortfall(uint256 id, address borrower) external nonReentrant {
        (Market storage m, MarketConfig storage c) = _accrued(id);
        LiquidationLogic.clearShortfall(m, c, _collateral[id], _position[id][borrower], id, borrower);
    }

    /// @notice The shortfall estimate of a position at current valid prices, with stored (accrued) totals:
    /// debt minus the sum of collateral value / (1 + bonus), floored at zero. Reverts on an invalid price.
    /// @param id Market id.
    /// @param borrower The position.
    /// @return The estimate, in loan assets, rounded up.
    function shortfallEstimate(uint256 id, address borrower) external view returns (uint256) {
        MarketConfig storage c = _requireMarket(id);
        return LiquidationLogic.shortfallEstimate(_market[id], c, _collateral[id], _position[id][borrower]);
    }

    /// @dev After a repay or added collateral: update the flag if prices are valid, clear it if the debt is gone.
    /// Never reverts on an oracle failure (repay and supply collateral never need a price).
    function _refreshShortfall(uint256 id, address borrower, Position storage pos) internal {
        LiquidationLogic.refreshShortfall(_market[id], pos, id, borrower);
    }

    // =================================================================== interest & premium

    /// @inheritdoc IBallastCore
    function accrueInterest(uint256 id) external {
        // The market check on the accrual's own slot (lastUpdate is set at creation): accrueInterest reads no config
        // slot but the rate model.
        Market storage m = _market[id];
        if (m.lastUpdate == 0) revert MarketNotCreated(id);
        _accrue(id, m, _config[id], true);
    }

    /// @inheritdoc IBallastCore
    function claimPremium(uint256 id) external nonReentrant returns (uint256) {
        (Market storage m, MarketConfig storage c) = _accrued(id);
        return ConfigLogic.claimPremium(m, c, id);
    }

    /// @inheritdoc IBallastCore
    function storeFund(uint256 id, uint256 assets) external nonReentrant {
        ConfigLogic.storeFund(_market, _config, id, assets); // NotInsuranceFund for an unknown market
    }

    function _accrue(uint256 id, Market storage m, MarketConfig storage c) internal {
        _accrue(id, m, c, false);
    }

    /// @dev Books the interest since lastUpdate, rounded down to whole units and capped so no total passes
    /// type(uint96).max (the growth of one accrual also saturates, see InterestLib). With `carry` (accrueInterest
    /// only) the seconds the booked units leave unpaid stay owed: lastUpdate advances only by the time paid for, and
    /// not at all while the interest rounds to zero. Every other caller changes totals or the rate right after, so it
    /// settles (lastUpdate = now; less than one unit is forgiven): carried seconds never meet another rate.
    function _accrue(uint256 id, Market storage m, MarketConfig storage c, bool carry) internal {
        // Unchecked: lastUpdate and the unpaid seconds never pass now, totals are uint96 summed in uint256, the cuts
        // are at most half the interest each, and the interest is capped so no total passes type(uint96).max.
        unchecked {
            uint256 elapsed = block.timestamp - m.lastUpdate;
            if (elapsed == 0) return;
            uint256 borrowed = m.totalBorrowAssets;
            // No borrower left (only the virtual shares' rounding remainder): nothing accrues.
            if (borrowed == 0 || m.totalBorrowShares == 0) {
                m.lastUpdate = uint40(block.timestamp);
                return;
            }
            uint256 supplied = m.totalSupplyAssets;
            uint256 rate = InterestLib.borrowRate(c.rateModel, InterestLib.utilization(borrowed, supplied));
            uint256 reserves = m.reserves;
            uint256 premium = m.premiumOwed;
            uint256 top = supplied + reserves + premium; // >= borrowed by the cash identity
            (uint256 interest, uint256 unpaid) = InterestLib.accrual(
                borrowed,
                rate,
                elapsed,
                InterestLib.MAX_TOTAL.zeroFloorSub(top < borrowed ? borrowed : top)
            );
            if (!carry) unpaid = 0;
            else if (unpaid == elapsed) return; // nothing booked: the time stays owed
            uint40 last = uint40(block.timestamp - unpaid);
            if (interest == 0) {
                m.lastUpdate = last;
                return;
            }
            // Reserve and premium cuts rounded down and saturating at their uint96 fields; suppliers receive the
            // exact remainder, so the parts add up.
            // The cuts are the factors / CUT_UNIT (exact), so this is interest x factor / WAD; the premium cut is 0
            // while the market has no fund. Both live in the config slot every entry point reads.
            uint256 toReserves = ((interest * m.reserveCut) / C.CUT_UNIT).min(C.MAX_CUT - reserves);
            uint256 toInsurance = ((interest * m.premiumCut) / C.CUT_UNIT).min(C.MAX_CUT - premium);
            // Written slot by slot: the supply total, the borrow total with the accrual time, both cuts.
            m.totalSupplyAssets = uint96(supplied + interest - toReserves - toInsurance);
            m.lastUpdate = last;
            m.totalBorrowAssets = uint96(borrowed + interest);
            m.reserves = uint96(reserves + toReserves);
            m.premiumOwed = uint96(premium + toInsurance);
            emit AccrueInterest(id, rate, interest, toReserves, toInsurance);
        }
    }

    // =================================================================== authorization

    /// @inheritdoc IBallastCore
    function setAuthorization(address authorized, bool newIsAuthorized) external {
        ConfigLogic.setAuthorization(isAuthorized, nonce, authorized, newIsAuthorized);
    }

    /// @inheritdoc IBallastCore
    function setAuthorizationWithSig(Authorization calldata a, uint8 v, bytes32 r, bytes32 s) external {
        ConfigLogic.setAuthorizationWithSig(isAuthorized, nonce, _domainSeparatorV4(), a, v, r, s);
    }

    /// @notice The EIP-712 domain separator used by `setAuthorizationWithSig`.
    /// @return The separator for this chain and contract.
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // =================================================================== views

    /// @inheritdoc IBallastCore
    function marketCount() external view returns (uint256) {
        return _marketCount;
    }

    /// @inheritdoc IBallastCore
    function market(uint256 id) external view returns (Market memory) {
        return _market[id];
    }

    /// @inheritdoc IBallastCore
    function config(uint256 id) external view returns (MarketConfig memory) {
        return _config[id];
    }

    /// @inheritdoc IBallastCore
    function collateral(uint256 id, uint256 index) external view returns (Collateral memory) {
        if (index >= C.MAX_COLLATERALS) revert InvalidCollateralIndex(id, index);
        return _collateral[id][index];
    }

    /// @inheritdoc IBallastCore
    function position(
        uint256 id,
        address user
    )
        external
        view
        returns (uint256 supplyShares, uint256 borrowShares, uint256 shortfall, uint256[8] memory collaterals)
    {
        Position storage pos = _position[id][user];
        for (uint256 i; i < C.MAX_COLLATERALS; ++i) {
            collaterals[i] = pos.collateralOf(i);
        }
        return (pos.supplyShares, pos.borrowShares, pos.shortfall, collaterals);
    }

    /// @inheritdoc IBallastCore
    function uncoveredShortfall(uint256 id) external view returns (uint256) {
        return _uncovered(_market[id], _config[id], true);
    }

    // =================================================================== internals

    /// @dev The market `id` (reverts MarketNotCreated) accrued to now: the prologue of governance and shortfall calls.
    function _accrued(uint256 id) internal returns (Market storage m, MarketConfig storage c) {
        c = _requireMarket(id);
        m = _market[id];
        _accrue(id, m, c);
    }

    function _requireMarket(uint256 id) internal view returns (MarketConfig storage c) {
        c = _config[id];
        if (c.loanToken == address(0)) revert MarketNotCreated(id);
    }

    function _requireCollateral(
        uint256 id,
        MarketConfig storage c,
        uint256 index
    ) internal view returns (Collateral storage) {
        if (index >= c.collateralCount) revert InvalidCollateralIndex(id, index);
        return _collateral[id][index];
    }

    function _whenNotPaused(uint256 id, MarketConfig storage c, uint16 action) internal view {
        if (c.paused & action != 0) revert ActionPaused(id, action);
    }

    function _checkOneOf(uint256 assets, uint256 shares) internal pure {
        if ((assets == 0) == (shares == 0)) revert InconsistentInput();
    }

    function _checkAuth(address onBehalf) internal view {
        if (onBehalf != msg.sender && !isAuthorized[onBehalf][msg.sender]) revert Unauthorized(onBehalf, msg.sender);
    }

    /// @dev Supply-side totals used for every share conversion: assets net of the uncovered pending shortfall, the
    /// least of it for an entry (`exit` false), the most for an exit, so nobody gains from its uncertainty.
    function _supplyPricing(
        Market storage m,
        MarketConfig storage c,
        bool exit
    ) internal view returns (uint256 totalAssets, uint256 totalShares) {
        totalAssets = m.totalSupplyAssets;
        if (m.shortfallPending) totalAssets = totalAssets.zeroFloorSub(_uncovered(m, c, exit));
        totalShares = m.totalSupplyShares;
    }

    /// @dev max(0, pendingShortfall - reserves - what the insurance fund pays for it): the least it pays on an exit,
    /// the most on an entry (InsuranceFund.drawBounds).
    function _uncovered(Market storage m, MarketConfig storage c, bool exit) internal view returns (uint256) {
        uint256 pending = m.pendingShortfall;
        if (pending == 0) return 0;
        uint256 rest = pending.zeroFloorSub(m.reserves);
        if (rest != 0 && address(c.insuranceFund) != address(0)) {
            (uint256 least, uint256 most) = c.insuranceFund.drawBounds();
            rest -= exit ? least : most;
        }
        return rest;
    }

    /// @dev Pulls `amount` of `token` from the caller. Unless governance attested the market's tokens
    /// (FLAG_EXACT_TRANSFERS, in config slot 0 which every caller has read), the balance is checked: a token that
    /// delivers another amount (fee on transfer) is rejected.
    function _pull(MarketConfig storage c, address token, uint256 amount) internal {
        bool check = c.flags & C.FLAG_EXACT_TRANSFERS == 0;
        uint256 before = check ? _balanceOf(token) : 0;
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        if (check) {
            uint256 received = _balanceOf(token) - before;
            if (received != amount) revert FeeOnTransferNotSupported(token, amount, received);
        }
    }

    /// @dev The core's balance of `token` (one function for both reads of `_pull`: a smaller core).
    function _balanceOf(address token) internal view returns (uint256) {
        return IERC20(token).balanceOf(address(this));
    }

    function _requireWithinLtv(
        uint256 id,
        Market storage m,
        MarketConfig storage c,
        address user,
        Position storage pos
    ) internal view {
        PositionLib.Valuation memory v = PositionLib.valuation(
            m,
            c,
            _collateral[id],
            pos,
            PositionLib.Weight.Ltv,
            type(uint256).max
        );
        if (v.debtValue > v.weighted) revert BorrowAboveLtv(id, user, v.debtValue, v.weighted);
    }
}
