// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IBallastCore} from "../interfaces/IBallastCore.sol";
import {MathLib} from "./MathLib.sol";
import {SharesMathLib} from "./SharesMathLib.sol";
import {ConstantsLib as C} from "./ConstantsLib.sol";

/// @title PositionLib
/// @notice Values a position at valid prices, and keeps the pending-shortfall flag consistent with the market total.
library PositionLib {
    using MathLib for uint256;
    using SharesMathLib for uint256;

    /// @dev How collateral value is weighted: by LTV (borrowing) or liquidation threshold (health).
    enum Weight {
        Ltv,
        Threshold
    }

    /// @dev What a position is worth at valid prices, in USD (18 decimals).
    struct Valuation {
        uint256 weighted; // sum of weighted collateral values, each rounded down
        uint256 debtValue; // debt x loan price, rounded up
        uint256 debtAssets; // debt in loan assets, rounded up
        uint256 loanPrice;
        uint256 indexPrice; // price of the collateral at `index`, if asked for and held
    }

    /// @dev Values `pos`. Reverts with the adapter's custom error on any invalid price. Only collaterals the position
    /// holds are priced, so a failing feed affects only the positions that hold that asset.
    function valuation(
        IBallastCore.Market storage m,
        IBallastCore.MarketConfig storage c,
        IBallastCore.Collateral[8] storage cols,
        IBallastCore.Position storage pos,
        Weight w,
        uint256 index
    ) internal view returns (Valuation memory v) {
        v.debtAssets = uint256(pos.borrowShares).toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares); // up
        v.loanPrice = c.loanAdapter.price();
        v.debtValue = v.debtAssets.mulDivUp(v.loanPrice, C.PRICE_SCALE); // debt value rounded up
        uint256 n = c.collateralCount;
        for (uint256 i; i < n; ++i) {
            uint256 amount = collateralOf(pos, i);
            if (amount == 0) continue;
            IBallastCore.Collateral storage col = cols[i];
            uint256 p = col.adapter.price();
            if (i == index) v.indexPrice = p;
            uint256 value = amount.mulDivDown(p, C.PRICE_SCALE); // collateral value rounded down
            // Rounded down. The threshold is read as liquidationThresholdE9 (in the adapter's slot): value x thr / WAD.
            v.weighted += w == Weight.Ltv ? value.wMulDown(col.ltv) : (value * col.liquidationThresholdE9) / C.CUT_UNIT;
        }
    }

    /// @dev Collateral a liquidation seizes for `repaid` loan assets: repaid x loanPrice x (1 + bonus) / colPrice,
    /// in one full-precision step rounded down once (in the protocol's favour).
    function seizedFor(
        uint256 repaid,
        uint256 loanPrice,
        uint256 colPrice,
        uint256 bonus
    ) internal pure returns (uint256) {
        return Math.mulDiv(repaid, loanPrice * (C.WAD + bonus), colPrice * C.WAD);
    }

    /// @dev What a whole balance costs the liquidator: amount x colPrice / (loanPrice x (1 + bonus)), in one
    /// full-precision step rounded up once (the liquidator pays at least the fair price). The inverse of
    /// `seizedFor`: seizedFor(repaidForAll(a)) >= a.
    function repaidForAll(
        uint256 amount,
        uint256 colPrice,
        uint256 loanPrice,
        uint256 bonus
    ) internal pure returns (uint256) {
        return Math.mulDiv(amount, colPrice * C.WAD, loanPrice * (C.WAD + bonus), Math.Rounding.Ceil);
    }

    /// @dev Shortfall estimate: debt - what full liquidations of every collateral would repay, in loan assets.
    /// Each collateral's recovery is computed exactly as a liquidation charges for a whole balance
    /// (`repaidForAll`, rounded up once), so a flag predicts the realized bad debt to the unit at unchanged prices;
    /// the estimate is floored at zero.
    function shortfall(
        IBallastCore.Market storage m,
        IBallastCore.MarketConfig storage c,
        IBallastCore.Collateral[8] storage cols,
        IBallastCore.Position storage pos
    ) internal view returns (uint256 estimate, uint256 debt, uint256 recoverable) {
        debt = uint256(pos.borrowShares).toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares); // up
        uint256 loanPrice = c.loanAdapter.price();
        uint256 n = c.collateralCount;
        for (uint256 i; i < n; ++i) {
            uint256 amount = collateralOf(pos, i);
            if (amount == 0) continue;
            IBallastCore.Collateral storage col = cols[i];
            recoverable += repaidForAll(amount, col.adapter.price(), loanPrice, col.liquidationBonus);
        }
        estimate = debt.zeroFloorSub(recoverable);
    }

    /// @dev Replaces the position's flagged figure and keeps `pendingShortfall` equal to the sum of the flags and
    /// `flaggedPositions` equal to their number.
    function setShortfall(
        IBallastCore.Position storage pos,
        IBallastCore.Market storage m,
        uint256 id,
        address borrower,
        uint256 amount
    ) internal {
        uint256 old = pos.shortfall;
        uint256 pending = m.pendingShortfall - old + amount;
        m.pendingShortfall = uint128(pending);
        m.shortfallPending = pending != 0;
        pos.shortfall = uint128(amount);
        // The count of flagged positions changes only when a flag appears or disappears.
        if ((old == 0) != (amount == 0)) {
            if (amount == 0) --m.flaggedPositions;
            else ++m.flaggedPositions;
        }
        if (amount == 0) emit IBallastCore.ShortfallCleared(id, borrower);
        else emit IBallastCore.ShortfallFlagged(id, borrower, amount);
    }

    /// @dev Balance of collateral `i` (the first shares a slot with the debt shares).
    function collateralOf(IBallastCore.Position storage pos, uint256 i) internal view returns (uint256) {
        return i == 0 ? pos.collateral0 : pos.collateral1To7[i - 1];
    }

    /// @dev Sets the balance of collateral `i` (the caller has checked it fits: it never exceeds a uint128 total).
    function setCollateral(IBallastCore.Position storage pos, uint256 i, uint256 amount) internal {
        if (i == 0) pos.collateral0 = uint128(amount);
        else pos.collateral1To7[i - 1] = uint128(amount);
    }

    /// @dev True if the position holds any collateral.
    function hasCollateral(IBallastCore.Position storage pos, uint256 count) internal view returns (bool) {
        for (uint256 i; i < count; ++i) {
            if (collateralOf(pos, i) != 0) return true;
        }
        return false;
    }
}
