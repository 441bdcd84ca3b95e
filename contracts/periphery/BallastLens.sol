// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IBallastCore} from "../interfaces/IBallastCore.sol";
import {IPriceAdapter} from "../interfaces/IPriceAdapter.sol";
import {IInsuranceFund} from "../interfaces/IInsuranceFund.sol";
import {DrawBoundsLib} from "../libraries/DrawBoundsLib.sol";
import {MathLib} from "../libraries/MathLib.sol";
import {SharesMathLib} from "../libraries/SharesMathLib.sol";
import {InterestLib} from "../libraries/InterestLib.sol";
import {ConstantsLib as C} from "../libraries/ConstantsLib.sol";
import {PositionLib} from "../libraries/PositionLib.sol";

/// @title BallastLens
/// @notice Read-only views of Ballast markets and positions for integrators, dashboards and keepers. Every figure
/// is "as of now": market totals are accrued to `block.timestamp` exactly as the core's `_accrue` would (same
/// formulas, same roundings), so a view equals what the core stores right after `accrueInterest` in this block.
/// Prices are read with try/catch: an invalid or reverting oracle never makes a view revert; it is reported with
/// its revert data instead, and the figures that need it are zero (see each struct).
/// @dev Prices use the adapters' scale: USD per token base unit x 1e36, so value (USD, 18 dec) = amount x price /
/// 1e18. Ratios and rates are WAD. Never deployed with any role: it holds no state but the core's address.
contract BallastLens {
    using MathLib for uint256;
    using SharesMathLib for uint256;

    uint256 internal constant WAD = 1e18;
    /// @notice Shares used to quote the supply share price: the price is the loan assets (WAD-scaled) paid for
    /// VIRTUAL_SHARES (1e6) shares, so an untouched market quotes 1e18 ("par").
    uint256 public constant SHARE_PRICE_SHARES = 1e24;

    /// @notice The core this lens reads.
    IBallastCore public immutable core;

    /// @notice A price read through an adapter, with its validity.
    struct OracleView {
        address adapter;
        bool valid;
        uint256 price; // adapter scale (USD per base unit x 1e36); 0 if invalid
        bytes error; // the adapter's revert data if invalid (decode with the SDK)
    }

    /// @notice Paused actions of a market, decoded from the core's bit flags.
    struct PausedFlags {
        uint16 flags;
        bool supply;
        bool withdraw;
        bool borrow;
        bool collateralIn;
        bool collateralOut;
        bool liquidate;
    }

    /// @notice One collateral of a market.
    struct MarketCollateralView {
        uint256 index;
        address token;
        uint256 ltv;
        uint256 liquidationThreshold;
        uint256 liquidationBonus;
        uint256 supplyCap;
        uint256 totalSupplied;
        uint256 protocolBalance;
        OracleView oracle;
    }

    /// @notice A market, accrued to now.
    struct MarketView {
        uint256 id;
        address loanToken;
        address insuranceFund;
        uint256 totalSupplyAssets;
        uint256 totalSupplyShares;
        uint256 totalBorrowAssets;
        uint256 totalBorrowShares;
        uint256 reserves;
        uint256 premiumOwed;
        uint256 pendingShortfall;
        uint256 uncoveredShortfall;
        uint256 cash; // totalSupplyAssets + reserves + premiumOwed - totalBorrowAssets
        uint256 utilization; // WAD, rounded down, capped at 1
        uint256 borrowRate; // annual WAD (the kinked model at the current utilization)
        uint256 supplyRate; // annual WAD: borrowRate x utilization x (1 - reserveFactor - premium factor), down
        uint256 supplySharePrice; // assets (WAD) for 1e6 supply shares, net of the uncovered shortfall, down
        uint256 supplyCap;
        uint256 borrowCap;
        uint256 minBorrow;
        uint256 minLeftover;
        uint256 reserveFactor;
        uint256 insurancePremiumFactor;
        uint256 reserveFloor;
        uint256 closeFactorHfThreshold;
        uint256 protocolBonusShare;
        uint256 liquidationGracePeriod;
        uint256 liquidationGraceUntil;
        uint256 lastUpdate; // the core's stored lastUpdate (not accrued)
        IBallastCore.RateModel rateModel;
        PausedFlags paused;
        OracleView loanOracle;
        MarketCollateralView[] collaterals;
    }

    /// @notice One collateral of a position.
    struct PositionCollateralView {
        uint256 index;
        address token;
        uint256 amount;
        bool priceValid;
        uint256 price; // adapter scale; 0 if invalid
        uint256 value; // USD (18 dec), rounded down; 0 if the price is invalid
        uint256 liquidationPrice; // lowest price (adapter scale) at which HF >= 1, others constant; 0 if none
    }

    /// @notice A position, with the market accrued to now.
    struct PositionView {
        uint256 id;
        address user;
        uint256 supplyShares;
        uint256 supplyAssets; // what redeeming every share would pay now (rounded down, net of uncovered)
        uint256 borrowShares;
        uint256 debt; // loan assets, rounded up
        uint256 flaggedShortfall; // the position's booked pending-shortfall figure
        bool pricesValid; // loan price and every held collateral's price are valid
        uint256 loanPrice; // adapter scale; 0 if invalid
        uint256 debtValue; // USD (18 dec), rounded up
        uint256 collateralValue; // USD, sum of values rounded down
        uint256 borrowPower; // USD, sum of value x LTV (each rounded down)
        uint256 liquidationValue; // USD, sum of value x liquidation threshold (each rounded down)
        uint256 healthFactor; // WAD, rounded down; type(uint256).max without debt; 0 if a price is invalid
        uint256 borrowPowerLeftValue; // USD: borrowPower - debtValue, floored at 0
        uint256 borrowPowerLeft; // loan assets `borrow` accepts by collateral (ignores liquidity, caps, minBorrow)
        uint256 shortfallEstimate; // debt - what full liquidations would repay (as the core's estimate); 0 if not short
        PositionCollateralView[] collaterals;
    }

    /// @notice The solvency report of a market, accrued to now (issue 4 and 9).
    struct Solvency {
        uint256 totalSupplyAssets;
        uint256 totalDebt;
        uint256 cash;
        uint256 reserves;
        uint256 insuranceFundAssets; // the fund's gross assets: token balance + premium owed by the core
        uint256 coverageRatio; // (reserves + insuranceFundAssets) / totalDebt, WAD, down; max if no debt
        uint256 pendingShortfall;
        uint256 uncoveredShortfall;
        uint256 insuranceDrawnInWindow;
        uint256 insuranceWindowCapLeft;
        uint256 uncoveredShortfallOnEntry; // the least uncovered figure, which supply (entries) is priced with
    }

    /// @dev A market accrued to now, with its configuration and what the fund could pay now.
    struct Accrued {
        IBallastCore.Market m;
        IBallastCore.MarketConfig c;
        uint256 utilization;
        uint256 borrowRate;
        uint256 fundGross;
        uint256 fundDrawn;
        uint256 fundWindowLeft;
        uint256 fundMaxDraw;
        uint256 uncovered; // the most: exits are priced with it (the core's uncoveredShortfall)
        uint256 uncoveredOnEntry; // the least: entries are priced with it
    }

    /// @param core_ The BallastCore to read.
    constructor(IBallastCore core_) {
        core = core_;
    }

    // =================================================================== markets

    /// @notice A market's totals accrued to now, rates, caps, parameters, paused actions and each oracle's price.
    /// @param id Market id (reverts with MarketNotCreated for an unknown id).
    /// @return v The market view.
    function market(uint256 id) external view returns (MarketView memory v) {
        Accrued memory a = _accrued(id);
        v.id = id;
        v.loanToken = a.c.loanToken;
        v.insuranceFund = address(a.c.insuranceFund);
        v.totalSupplyAssets = a.m.totalSupplyAssets;
        v.totalSupplyShares = a.m.totalSupplyShares;
        v.totalBorrowAssets = a.m.totalBorrowAssets;
        v.totalBorrowShares = a.m.totalBorrowShares;
        v.reserves = a.m.reserves;
        v.premiumOwed = a.m.premiumOwed;
        v.pendingShortfall = a.m.pendingShortfall;
        v.uncoveredShortfall = a.uncovered;
        v.cash = _cash(a.m);
        v.utilization = a.utilization;
        v.borrowRate = a.borrowRate;
        v.supplyRate = _supplyRate(a);
        v.supplySharePrice = SHARE_PRICE_SHARES.toAssetsDown(_netSupply(a), a.m.totalSupplyShares);
        v.supplyCap = a.c.supplyCap;
        v.borrowCap = a.c.borrowCap;
        v.minBorrow = a.c.minBorrow;
        v.minLeftover = a.c.minLeftover;
        v.reserveFactor = a.c.reserveFactor;
        v.insurancePremiumFactor = a.c.insurancePremiumFactor;
        v.reserveFloor = a.c.reserveFloor;
        v.closeFactorHfThreshold = a.c.closeFactorHfThreshold;
        v.protocolBonusShare = a.c.protocolBonusShare;
        v.liquidationGracePeriod = a.c.liquidationGracePeriod;
        v.liquidationGraceUntil = a.m.liquidationGraceUntil;
        v.lastUpdate = a.m.lastUpdate;
        v.rateModel = a.c.rateModel;
        v.paused = _paused(a.c.paused);
        v.loanOracle = oracle(a.c.loanAdapter);
        uint256 n = a.c.collateralCount;
        v.collaterals = new MarketCollateralView[](n);
        for (uint256 i; i < n; ++i) {
            IBallastCore.Collateral memory col = core.collateral(id, i);
            v.collaterals[i] = MarketCollateralView({
                index: i,
                token: col.token,
                ltv: col.ltv,
                liquidationThreshold: col.liquidationThreshold,
                liquidationBonus: col.liquidationBonus,
                supplyCap: col.supplyCap,
                totalSupplied: col.totalSupplied,
                protocolBalance: col.protocolBalance,
                oracle: oracle(col.adapter)
            });
        }
    }

    /// @notice The market's stored totals accrued to now, exactly as the core's `accrueInterest` would write them.
    /// @param id Market id.
    /// @return m The accrued market (lastUpdate = block.timestamp minus the seconds the interest, rounded down to
    /// whole units, leaves unpaid: unchanged while it rounds to zero).
    function accruedMarket(uint256 id) external view returns (IBallastCore.Market memory m) {
        return _accrued(id).m;
    }

    /// @notice The solvency report: totals, cash, reserves, insurance, the coverage ratio and the pending shortfall,
    /// accrued to now. Cumulative losses and their split are the sum of the core's `BadDebtRealized` events
    /// (`lossTotals` in the SDK): the core keeps no running totals.
    /// @param marketId Market id.
    /// @return s The report.
    function solvency(uint256 marketId) external view returns (Solvency memory s) {
        Accrued memory a = _accrued(marketId);
        s.totalSupplyAssets = a.m.totalSupplyAssets;
        s.totalDebt = a.m.totalBorrowAssets;
        s.cash = _cash(a.m);
        s.reserves = a.m.reserves;
        s.insuranceFundAssets = a.fundGross;
        s.coverageRatio =
            s.totalDebt == 0 ? type(uint256).max : (s.reserves + s.insuranceFundAssets).wDivDown(s.totalDebt);
        s.pendingShortfall = a.m.pendingShortfall;
        s.uncoveredShortfall = a.uncovered;
        s.insuranceDrawnInWindow = a.fundDrawn;
        s.insuranceWindowCapLeft = a.fundWindowLeft;
        s.uncoveredShortfallOnEntry = a.uncoveredOnEntry;
    }

    /// @notice The supply share price used by every conversion now: loan assets (WAD) for 1e6 shares, net of the
    /// uncovered pending shortfall, rounded down.
    /// @param id Market id.
    /// @return The share price.
    function supplySharePrice(uint256 id) external view returns (uint256) {
        Accrued memory a = _accrued(id);
        return SHARE_PRICE_SHARES.toAssetsDown(_netSupply(a), a.m.totalSupplyShares);
    }

    /// @notice A price adapter's current price and validity, never reverting.
    /// @param adapter Any IPriceAdapter.
    /// @return o The price (adapter scale) if valid, else the revert data.
    function oracle(IPriceAdapter adapter) public view returns (OracleView memory o) {
        o.adapter = address(adapter);
        try adapter.price() returns (uint256 p) {
            o.valid = true;
            o.price = p;
        } catch (bytes memory err) {
            o.error = err;
        }
    }

    // =================================================================== positions

    /// @notice A position with the market accrued to now: supply, debt, collateral values, health factor, borrow
    /// power left, liquidation price of each collateral and the shortfall estimate.
    /// @param id Market id.
    /// @param user The account.
    /// @return v The position view.
    function position(uint256 id, address user) public view returns (PositionView memory v) {
        Accrued memory a = _accrued(id);
        return _position(a, id, user);
    }

    /// @notice `position` for many accounts of one market (keepers, dashboards).
    /// @param id Market id.
    /// @param users The accounts.
    /// @return views One view per account, in order.
    function positions(uint256 id, address[] calldata users) external view returns (PositionView[] memory views) {
        Accrued memory a = _accrued(id);
        views = new PositionView[](users.length);
        for (uint256 i; i < users.length; ++i) {
            views[i] = _position(a, id, users[i]);
        }
    }

    /// @notice The health factor of a position now (WAD): sum(value x threshold) / debt value, rounded down;
    /// type(uint256).max without debt. Reverts with the adapter's error if a needed price is invalid.
    /// @param id Market id.
    /// @param user The account.
    /// @return The health factor; below 1e18 the position is liquidatable.
    function healthFactor(uint256 id, address user) external view returns (uint256) {
        PositionView memory v = position(id, user);
        if (v.debt != 0 && !v.pricesValid) _bubblePriceError(id, user);
        return v.healthFactor;
    }

    // =================================================================== internals

    function _position(Accrued memory a, uint256 id, address user) internal view returns (PositionView memory v) {
        uint256[8] memory amounts;
        (v.supplyShares, v.borrowShares, v.flaggedShortfall, amounts) = core.position(id, user);
        v.id = id;
        v.user = user;
        v.supplyAssets = v.supplyShares.toAssetsDown(_netSupply(a), a.m.totalSupplyShares);
        v.debt = v.borrowShares.toAssetsUp(a.m.totalBorrowAssets, a.m.totalBorrowShares); // up
        v.pricesValid = true;
        OracleView memory lo = oracle(a.c.loanAdapter);
        if (lo.valid) {
            v.loanPrice = lo.price;
            v.debtValue = v.debt.mulDivUp(lo.price, C.PRICE_SCALE); // debt value rounded up
        } else if (v.debt != 0) {
            v.pricesValid = false;
        }

        uint256 n = a.c.collateralCount;
        v.collaterals = new PositionCollateralView[](n);
        uint256[] memory thresholds = new uint256[](n);
        uint256[] memory weighted = new uint256[](n); // value x threshold, rounded down
        uint256 recoverable;
        for (uint256 i; i < n; ++i) {
            PositionCollateralView memory pc = v.collaterals[i];
            IBallastCore.Collateral memory col = core.collateral(id, i);
            pc.index = i;
            pc.token = col.token;
            pc.amount = amounts[i];
            thresholds[i] = col.liquidationThreshold;
            if (pc.amount == 0) continue; // the core prices only held collaterals
            OracleView memory o = oracle(col.adapter);
            if (!o.valid) {
                v.pricesValid = false;
                continue;
            }
            pc.priceValid = true;
            pc.price = o.price;
            pc.value = pc.amount.mulDivDown(o.price, C.PRICE_SCALE); // collateral value rounded down
            v.collateralValue += pc.value;
            v.borrowPower += pc.value.wMulDown(col.ltv);
            weighted[i] = pc.value.wMulDown(col.liquidationThreshold);
            v.liquidationValue += weighted[i];
            if (lo.valid) {
                // What a liquidation charges for the whole balance (PositionLib.shortfall), rounded up once.
                recoverable += PositionLib.repaidForAll(pc.amount, o.price, lo.price, col.liquidationBonus);
            }
        }

        if (!v.pricesValid) return v; // health figures need every price the core would read
        if (v.debt == 0) {
            v.healthFactor = type(uint256).max;
        } else {
            v.healthFactor = v.liquidationValue.wDivDown(v.debtValue);
            v.shortfallEstimate = v.debt.zeroFloorSub(recoverable);
            for (uint256 i; i < n; ++i) {
                PositionCollateralView memory pc = v.collaterals[i];
                if (pc.amount == 0) continue;
                uint256 others = v.liquidationValue - weighted[i];
                if (others >= v.debtValue) continue; // this price alone cannot make the position liquidatable
                // Lowest price P with floor(floor(amount x P / 1e18) x LT / WAD) >= debtValue - others.
                uint256 valueNeeded = (v.debtValue - others).wDivUp(thresholds[i]);
                pc.liquidationPrice = valueNeeded.mulDivUp(C.PRICE_SCALE, pc.amount);
            }
        }
        v.borrowPowerLeftValue = v.borrowPower.zeroFloorSub(v.debtValue);
        if (v.loanPrice != 0) v.borrowPowerLeft = _maxBorrow(a.m, v);
    }

    /// @dev The most `borrow(assets)` accepts by the LTV check now: the new debt (shares minted up, debt rounded up
    /// on the new totals) must be worth at most the borrow power. Every returned amount passes that check.
    function _maxBorrow(IBallastCore.Market memory m, PositionView memory v) internal pure returns (uint256 x) {
        uint256 maxDebt = v.borrowPower.mulDivDown(C.PRICE_SCALE, v.loanPrice); // largest D: D x price up <= power
        if (maxDebt <= v.debt) return 0;
        x = maxDebt - v.debt;
        // Share rounding adds at most a few units; step down until the core's check would pass.
        for (uint256 k; k < 16; ++k) {
            uint256 over = _debtOver(m, v, x, maxDebt);
            if (over == 0) return x;
            x -= over.min(x);
        }
        // After extreme debt-share growth the steps may not converge: binary search for the largest accepted
        // amount at most x (0 is always accepted: the debt is below maxDebt).
        uint256 lo;
        while (lo < x) {
            uint256 mid = lo + (x - lo + 1) / 2;
            if (_debtOver(m, v, mid, maxDebt) == 0) lo = mid;
            else x = mid - 1;
        }
    }

    /// @dev How far the debt after `borrow(x)` exceeds maxDebt (0 if the core's LTV check accepts it).
    function _debtOver(
        IBallastCore.Market memory m,
        PositionView memory v,
        uint256 x,
        uint256 maxDebt
    ) private pure returns (uint256) {
        uint256 s = x.toSharesUp(m.totalBorrowAssets, m.totalBorrowShares);
        return (v.borrowShares + s).toAssetsUp(m.totalBorrowAssets + x, m.totalBorrowShares + s).zeroFloorSub(maxDebt);
    }

    function _bubblePriceError(uint256 id, address user) internal view {
        IBallastCore.MarketConfig memory c = core.config(id);
        _revertIfInvalid(c.loanAdapter);
        (, , , uint256[8] memory amounts) = core.position(id, user);
        for (uint256 i; i < c.collateralCount; ++i) {
            if (amounts[i] != 0) _revertIfInvalid(core.collateral(id, i).adapter);
        }
    }

    function _revertIfInvalid(IPriceAdapter adapter) internal view {
        OracleView memory o = oracle(adapter);
        if (o.valid) return;
        bytes memory err = o.error;
        assembly ("memory-safe") {
            revert(add(err, 32), mload(err))
        }
    }

    /// @dev Mirrors BallastCore._accrue (and InsuranceFund.maxDraw with the accrued premium) in memory.
    function _accrued(uint256 id) internal view returns (Accrued memory a) {
        a.c = core.config(id);
        if (a.c.loanToken == address(0)) revert IBallastCore.MarketNotCreated(id);
        a.m = core.market(id);
        uint256 elapsed = block.timestamp - a.m.lastUpdate;
        uint256 borrowed = a.m.totalBorrowAssets;
        a.utilization = InterestLib.utilization(borrowed, a.m.totalSupplyAssets);
        a.borrowRate = InterestLib.borrowRate(a.c.rateModel, a.utilization);
        if (elapsed != 0 && (borrowed == 0 || a.m.totalBorrowShares == 0)) {
            a.m.lastUpdate = uint40(block.timestamp);
        } else if (elapsed != 0) {
            uint256 supplied = a.m.totalSupplyAssets;
            uint256 top = supplied + a.m.reserves + a.m.premiumOwed;
            (uint256 interest, uint256 unpaid) = InterestLib.accrual(
                borrowed,
                a.borrowRate,
                elapsed,
                InterestLib.MAX_TOTAL.zeroFloorSub(top < borrowed ? borrowed : top)
            ); // down, with the unpaid seconds carried as accrueInterest does
            a.m.lastUpdate = uint40(block.timestamp - unpaid);
            if (interest != 0) {
                uint256 toReserves = interest.wMulDown(a.c.reserveFactor).min(C.MAX_CUT - a.m.reserves);
                uint256 toInsurance =
                    address(a.c.insuranceFund) == address(0)
                        ? 0
                        : interest.wMulDown(a.c.insurancePremiumFactor).min(C.MAX_CUT - a.m.premiumOwed);
                a.m.totalBorrowAssets = uint96(borrowed + interest);
                a.m.totalSupplyAssets = uint96(supplied + interest - toReserves - toInsurance);
                a.m.reserves += uint96(toReserves);
                a.m.premiumOwed += uint96(toInsurance);
                // Utilization and rate now, after the accrual.
                a.utilization = InterestLib.utilization(a.m.totalBorrowAssets, a.m.totalSupplyAssets);
                a.borrowRate = InterestLib.borrowRate(a.c.rateModel, a.utilization);
            }
        }
        _fund(a);
        uint256 rest = uint256(a.m.pendingShortfall).zeroFloorSub(a.m.reserves);
        a.uncovered = rest;
        a.uncoveredOnEntry = rest;
        if (rest != 0 && address(a.c.insuranceFund) != address(0)) {
            (uint256 least, uint256 most) = DrawBoundsLib.bounds(
                rest,
                a.m.flaggedPositions,
                a.m.premiumOwed, // drawable: what the core holds for the fund
                a.fundMaxDraw,
                a.c.insuranceFund.maxDrawPerEvent(),
                uint256(a.m.premiumOwed).zeroFloorSub(_cash(a.m))
            );
            a.uncovered = rest - least;
            a.uncoveredOnEntry = rest - most;
        }
    }

    /// @dev What the insurance fund could pay now, with the premium owed accrued to now (mirrors InsuranceFund): its
    /// gross assets are its balance plus what the core holds for it; its caps are shares of the latter alone, all a
    /// draw reaches (tokens in the fund itself count once parked).
    function _fund(Accrued memory a) internal view {
        IInsuranceFund fund = a.c.insuranceFund;
        if (address(fund) == address(0)) return;
        uint256 drawable = a.m.premiumOwed;
        a.fundGross = IERC20(a.c.loanToken).balanceOf(address(fund)) + drawable;
        a.fundDrawn = fund.drawnInWindow();
        uint256 cap = (drawable + a.fundDrawn).wMulDown(fund.windowShare()); // rounded down
        a.fundWindowLeft = cap.zeroFloorSub(a.fundDrawn);
        a.fundMaxDraw = drawable.wMulDown(fund.maxDrawPerEvent()).min(a.fundWindowLeft);
    }

    function _netSupply(Accrued memory a) internal pure returns (uint256) {
        return uint256(a.m.totalSupplyAssets).zeroFloorSub(a.uncovered);
    }

    function _cash(IBallastCore.Market memory m) internal pure returns (uint256) {
        return (uint256(m.totalSupplyAssets) + m.reserves + m.premiumOwed).zeroFloorSub(m.totalBorrowAssets);
    }

    function _supplyRate(Accrued memory a) internal pure returns (uint256) {
        uint256 cut = a.c.reserveFactor;
        if (address(a.c.insuranceFund) != address(0)) cut += a.c.insurancePremiumFactor;
        return a.borrowRate.wMulDown(a.utilization).wMulDown(WAD - cut);
    }

    function _paused(uint16 flags) internal pure returns (PausedFlags memory p) {
        p.flags = flags;
        p.supply = flags & C.PAUSE_SUPPLY != 0;
        p.withdraw = flags & C.PAUSE_WITHDRAW != 0;
        p.borrow = flags & C.PAUSE_BORROW != 0;
        p.collateralIn = flags & C.PAUSE_COLLATERAL_IN != 0;
        p.collateralOut = flags & C.PAUSE_COLLATERAL_OUT != 0;
        p.liquidate = flags & C.PAUSE_LIQUIDATE != 0;
    }
}
