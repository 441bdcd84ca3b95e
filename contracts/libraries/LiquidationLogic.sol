// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBallastCore} from "../interfaces/IBallastCore.sol";
import {IInsuranceFund} from "../interfaces/IInsuranceFund.sol";
import {MathLib} from "./MathLib.sol";
import {SharesMathLib} from "./SharesMathLib.sol";
import {PositionLib} from "./PositionLib.sol";
import {ConstantsLib as C} from "./ConstantsLib.sol";

/// @title LiquidationLogic
/// @notice Liquidation amounts, the bad-debt waterfall and the pending-shortfall flag of BallastCore. An external
/// library (linked at deployment, run by DELEGATECALL on the core's storage) so the core stays under EIP-170.
/// It writes state and emits events; it never moves tokens (the core does, after it returns).
library LiquidationLogic {
    using MathLib for uint256;
    using SharesMathLib for uint256;
    using PositionLib for IBallastCore.Position;

    /// @dev Inputs and results of one liquidation.
    struct Liq {
        uint256 id;
        address borrower;
        uint256 index;
        uint256 repayAssets; // upper bound asked by the liquidator
        address liquidator;
        // results
        uint256 repaid;
        uint256 repaidShares;
        uint256 seized;
        uint256 protocolSeized;
        address colToken;
        address loanToken;
    }

    /// @dev Prices and bounds of one liquidation.
    struct Amounts {
        uint256 debtAssets;
        uint256 maxRepay;
        uint256 colBal;
        uint256 colPrice;
        uint256 loanPrice;
        uint256 bonus;
        uint256 minLeftover;
    }

    /// @notice Every check and state change of a liquidation; the market must be accrued already. If the position
    /// is left without collateral, its remaining debt is realized through the waterfall in the same call.
    function liquidate(
        IBallastCore.Market storage m,
        IBallastCore.MarketConfig storage c,
        IBallastCore.Collateral[8] storage cols,
        IBallastCore.Position storage pos,
        Liq memory liq
    ) external returns (Liq memory) {
        if (pos.borrowShares == 0) revert IBallastCore.NoDebt(liq.id, liq.borrower);
        IBallastCore.Collateral storage col = cols[liq.index];
        Amounts memory a;
        a.colBal = pos.collateralOf(liq.index);
        if (a.colBal == 0) revert IBallastCore.InsufficientBalance(0, 1);
        {
            PositionLib.Valuation memory v = PositionLib.valuation(
                m,
                c,
                cols,
                pos,
                PositionLib.Weight.Threshold,
                liq.index
            );
            // Liquidatable iff HF < 1, i.e. threshold-weighted collateral value < debt value. HF = 1 is healthy.
            if (v.weighted >= v.debtValue) revert IBallastCore.HealthyPosition(liq.id, liq.borrower);
            a.debtAssets = v.debtAssets;
            a.loanPrice = v.loanPrice;
            a.colPrice = v.indexPrice;
            // Close factor: 50% of the debt (rounded down) while HF >= the threshold, else 100%.
            bool deep = v.weighted < uint256(c.closeFactorHfThreshold).wMulDown(v.debtValue);
            a.maxRepay = deep ? a.debtAssets : a.debtAssets.wMulDown(C.CLOSE_FACTOR);
        }
        a.minLeftover = c.minLeftover;
        // A close-factor-limited liquidation that would leave dust debt may repay it all.
        if (a.debtAssets - a.maxRepay < a.minLeftover) a.maxRepay = a.debtAssets;
        a.bonus = col.liquidationBonus;

        liq.repaid = liq.repayAssets.min(a.maxRepay);
        // Seized = repaid x loanPrice x (1 + bonus) / colPrice, in one full-precision step rounded down once.
        liq.seized = PositionLib.seizedFor(liq.repaid, a.loanPrice, a.colPrice, a.bonus);
        if (liq.seized >= a.colBal) {
            liq.seized = a.colBal;
            // What the whole balance costs, rounded up once: the liquidator pays at least the fair price.
            liq.repaid = PositionLib.repaidForAll(a.colBal, a.colPrice, a.loanPrice, a.bonus).min(a.debtAssets);
        }
        if (liq.repaid == 0) revert IBallastCore.ZeroAmount();
        uint256 debtLeft = a.debtAssets - liq.repaid;
        // Dust rule: a liquidation that leaves debt and takes only part of the collateral may leave neither the
        // debt nor that collateral (valued in loan units) below the minimum leftover. Seizing a whole balance is
        // always allowed, whatever debt it leaves: the next liquidation may then repay 100% or take the next
        // whole balance, and the one that takes the last collateral realizes the rest as bad debt. So every
        // unhealthy position keeps a liquidation path and bad debt cannot be kept latent with dust.
        if (debtLeft != 0 && liq.seized < a.colBal) {
            if (debtLeft < a.minLeftover) revert IBallastCore.DebtDustLeft(debtLeft, a.minLeftover);
            uint256 leftValue = (a.colBal - liq.seized).mulDivDown(a.colPrice, a.loanPrice);
            if (leftValue < a.minLeftover) revert IBallastCore.CollateralDustLeft(leftValue, a.minLeftover);
        }

        // Burn debt shares: all of them when the whole debt is repaid, else rounded down.
        liq.repaidShares =
            debtLeft == 0
                ? pos.borrowShares
                : liq.repaid.toSharesDown(m.totalBorrowAssets, m.totalBorrowShares).min(pos.borrowShares);
        pos.borrowShares -= uint128(liq.repaidShares);
        m.totalBorrowShares -= uint120(liq.repaidShares);
        m.totalBorrowAssets = uint96(uint256(m.totalBorrowAssets).zeroFloorSub(liq.repaid));

        // Protocol share of the bonus, rounded up (in the protocol's favour) and never above the bonus itself.
        uint256 share = c.protocolBonusShare;
        if (share != 0 && a.bonus != 0) {
            uint256 bonusPart = liq.seized - liq.seized.wDivUp(C.WAD + a.bonus);
            liq.protocolSeized = bonusPart.wMulUp(share).min(bonusPart);
            col.protocolBalance += uint128(liq.protocolSeized);
        }
        pos.setCollateral(liq.index, a.colBal - liq.seized);
        col.totalSupplied -= uint128(liq.seized);
        liq.colToken = col.token;
        liq.loanToken = c.loanToken;

        emit IBallastCore.Liquidate(
            liq.id,
            liq.liquidator,
            liq.borrower,
            liq.index,
            liq.repaid,
            liq.repaidShares,
            liq.seized,
            liq.protocolSeized
        );

        if (pos.borrowShares != 0 && !pos.hasCollateral(c.collateralCount)) {
            // The flag is replaced by what this liquidation realizes.
            if (m.shortfallPending && pos.shortfall != 0) pos.setShortfall(m, liq.id, liq.borrower, 0);
            _realizeBadDebt(m, c, pos, liq.id, liq.borrower);
        } else if (m.shortfallPending && pos.shortfall != 0) {
            // A flagged position left with debt and collateral keeps its flag, at the new estimate and the prices
            // just read (a partial liquidation must not let suppliers leave ahead of the loss); none if repaid.
            uint256 estimate;
            if (pos.borrowShares != 0) (estimate, , ) = PositionLib.shortfall(m, c, cols, pos);
            pos.setShortfall(m, liq.id, liq.borrower, estimate);
        }
        return liq;
    }

    /// @dev Writes off the remaining debt of a position with no collateral: reserves first, then the insurance
    /// fund within its caps, then socialized to the market's suppliers (O(1): total supplied assets drop, so every
    /// supplier's share price falls pro rata, whatever their number).
    function _realizeBadDebt(
        IBallastCore.Market storage m,
        IBallastCore.MarketConfig storage c,
        IBallastCore.Position storage pos,
        uint256 id,
        address borrower
    ) private {
        uint256 shares = pos.borrowShares;
        // Debt rounded up, never above the market total.
        uint256 amount = shares.toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares).min(m.totalBorrowAssets);
        pos.borrowShares = 0;
        m.totalBorrowShares -= uint120(shares);
        m.totalBorrowAssets -= uint96(amount);

        // Premium owed beyond the market's cash was booked from interest borrowers have not paid: what this default
        // makes uncollectable is written off first, at the fund's expense (counted in fromInsurance, outside the
        // draw caps: it was never the fund's cash). Then supplied assets always absorb what is socialized.
        uint256 premium = m.premiumOwed;
        uint256 fromInsurance = amount.min(premium.zeroFloorSub(_cashBefore(m, amount)));
        m.premiumOwed = uint96(premium - fromInsurance);
        uint256 rest = amount - fromInsurance;

        uint256 fromReserves = rest.min(m.reserves);
        m.reserves -= uint96(fromReserves);
        rest -= fromReserves;

        IInsuranceFund fund = c.insuranceFund;
        if (rest != 0 && address(fund) != address(0)) {
            uint256 drawn = _draw(m, fund, rest);
            fromInsurance += drawn;
            rest -= drawn;
        }
        uint256 socialized = rest;
        // Never reverts: socialized <= supplied assets whenever the books balance (see _cashBefore).
        m.totalSupplyAssets = uint96(uint256(m.totalSupplyAssets).zeroFloorSub(socialized));

        // No running totals in storage (issue 15: two slots written from zero on a market's first bad debt): the
        // event carries the split, and summing the events gives the cumulative figures (sdk/losses.ts).
        emit IBallastCore.BadDebtRealized(id, borrower, amount, fromReserves, fromInsurance, socialized);
    }

    /// @dev One call: the fund draws min(wanted, its caps); premium the core owes it pays first (no tokens move),
    /// its balance the rest.
    function _draw(IBallastCore.Market storage m, IInsuranceFund fund, uint256 wanted) private returns (uint256 drawn) {
        uint256 fromPremium;
        (drawn, fromPremium) = fund.coverLimited(wanted, m.premiumOwed);
        m.premiumOwed -= uint96(fromPremium);
    }

    /// @dev The market's cash before `amount` of debt was removed from the borrow total: supplied + reserves +
    /// premium owed - borrowed. Writing off min(amount, premium - cash) of premium first leaves
    /// amount - that <= supplied + reserves, so the socialized rest never exceeds the supplied assets.
    function _cashBefore(IBallastCore.Market storage m, uint256 amount) private view returns (uint256) {
        return (uint256(m.totalSupplyAssets) + m.reserves + m.premiumOwed).zeroFloorSub(m.totalBorrowAssets + amount);
    }

    /// @notice Flags a position that a full liquidation could not cover at valid prices; the market must be accrued.
    function flagShortfall(
        IBallastCore.Market storage m,
        IBallastCore.MarketConfig storage c,
        IBallastCore.Collateral[8] storage cols,
        IBallastCore.Position storage pos,
        uint256 id,
        address borrower
    ) external returns (uint256 estimate) {
        if (pos.borrowShares == 0) revert IBallastCore.NoDebt(id, borrower);
        uint256 debt;
        uint256 recoverable;
        (estimate, debt, recoverable) = PositionLib.shortfall(m, c, cols, pos);
        if (estimate == 0) revert IBallastCore.NotShort(id, borrower, debt, recoverable);
        pos.setShortfall(m, id, borrower, estimate);
    }

    /// @notice Clears the flag of a position that recovered at valid prices (or has no debt left).
    function clearShortfall(
        IBallastCore.Market storage m,
        IBallastCore.MarketConfig storage c,
        IBallastCore.Collateral[8] storage cols,
        IBallastCore.Position storage pos,
        uint256 id,
        address borrower
    ) external {
        if (pos.shortfall == 0) revert IBallastCore.NotFlagged(id, borrower);
        if (pos.borrowShares != 0) {
            (uint256 estimate, , ) = PositionLib.shortfall(m, c, cols, pos);
            if (estimate != 0) revert IBallastCore.StillShort(id, borrower, estimate);
        }
        pos.setShortfall(m, id, borrower, 0);
    }

    /// @notice After a repay or added collateral: updates the flag if prices are valid, clears it if the debt is gone.
    /// Never reverts on an oracle failure (repay and supply collateral never need a price): the estimate is read
    /// through the core's own `shortfallEstimate` view, and an invalid price leaves the flag as it is (anyone may
    /// clear it once prices are valid).
    function refreshShortfall(
        IBallastCore.Market storage m,
        IBallastCore.Position storage pos,
        uint256 id,
        address borrower
    ) external {
        if (pos.borrowShares == 0) return pos.setShortfall(m, id, borrower, 0);
        (bool ok, bytes memory ret) = address(this).staticcall(
            abi.encodeWithSignature("shortfallEstimate(uint256,address)", id, borrower)
        );
        if (ok && ret.length == 32) pos.setShortfall(m, id, borrower, abi.decode(ret, (uint256)));
    }

    /// @notice The shortfall estimate at current valid prices (reverts on an invalid price).
    function shortfallEstimate(
        IBallastCore.Market storage m,
        IBallastCore.MarketConfig storage c,
        IBallastCore.Collateral[8] storage cols,
        IBallastCore.Position storage pos
    ) external view returns (uint256 estimate) {
        (estimate, , ) = PositionLib.shortfall(m, c, cols, pos);
    }
}
