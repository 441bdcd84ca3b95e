// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

import {IBallastCore} from "../interfaces/IBallastCore.sol";
import {IPriceAdapter} from "../interfaces/IPriceAdapter.sol";
import {IInsuranceFund} from "../interfaces/IInsuranceFund.sol";
import {MathLib} from "./MathLib.sol";
import {ConstantsLib as C} from "./ConstantsLib.sol";
import {InterestLib} from "./InterestLib.sol";

/// @title ConfigLogic
/// @notice Governance logic of BallastCore: market creation and every bounded parameter change. An external
/// library (linked at deployment, run by DELEGATECALL on the core's storage) so the core stays under EIP-170.
/// Role checks stay in the core (here only the admin-only parts of risk changes, `requireAdmin`, and the two-role
/// rule of `setExactTransfers`); the core passes its storage mappings, the market checks are made here (smaller core
/// wrappers); every bound is checked here and every change emits its event.
library ConfigLogic {
    using MathLib for uint256;
    using SafeERC20 for IERC20;

    /// @notice Writes a new market's configuration and its collaterals.
    function createMarket(
        mapping(uint256 => IBallastCore.Market) storage markets,
        mapping(uint256 => IBallastCore.MarketConfig) storage configs,
        mapping(uint256 => IBallastCore.Collateral[8]) storage colsOf,
        uint256 id,
        IBallastCore.MarketParams calldata p
    ) external {
        IBallastCore.Market storage m = markets[id];
        IBallastCore.MarketConfig storage c = configs[id];
        if (p.loanToken == address(0)) revert IBallastCore.ZeroAddress();
        uint256 n = p.collaterals.length;
        if (n == 0 || n > C.MAX_COLLATERALS) revert IBallastCore.TooManyCollaterals(n);
        checkAdapter(p.loanToken, p.loanAdapter);
        checkRateModel(p.rateModel);
        checkFactors(p.reserveFactor, p.insurancePremiumFactor);

        c.loanToken = p.loanToken;
        c.loanAdapter = p.loanAdapter;
        c.reserveFactor = p.reserveFactor;
        m.reserveCut = toE9(p.reserveFactor); // premiumCut waits for a fund
        c.insurancePremiumFactor = p.insurancePremiumFactor;
        c.rateModel = p.rateModel;
        c.supplyCap = p.supplyCap;
        c.borrowCap = p.borrowCap;
        c.minBorrow = p.minBorrow;
        c.minLeftover = p.minLeftover;
        c.closeFactorHfThreshold = C.DEFAULT_CLOSE_FACTOR_HF_THRESHOLD;
        c.liquidationGracePeriod = C.DEFAULT_LIQUIDATION_GRACE_PERIOD;
        // Market slots 0, 1 and 3 non-zero from creation, slot 2 too with any factor (IBallastCore.Market): no write
        // from zero in any later step (slot 3: the first flag of a market).
        m.createdAt = uint32(block.timestamp);
        m.lastUpdate = uint40(block.timestamp);
        m.createdBlock = uint48(block.number);

        emit IBallastCore.MarketCreated(id, p.loanToken, address(p.loanAdapter), n);
        emit IBallastCore.CapsSet(id, p.supplyCap, p.borrowCap);
        emit IBallastCore.MinAmountsSet(id, p.minBorrow, p.minLeftover);
        emit IBallastCore.RateModelSet(id, p.rateModel);
        emit IBallastCore.FactorsSet(id, p.reserveFactor, p.insurancePremiumFactor);
        emit IBallastCore.LiquidationParamsSet(
            id,
            C.DEFAULT_CLOSE_FACTOR_HF_THRESHOLD,
            0,
            C.DEFAULT_LIQUIDATION_GRACE_PERIOD
        );
        IBallastCore.Collateral[8] storage cols = colsOf[id];
        for (uint256 i; i < n; ++i) {
            _addCollateral(c, cols, id, p.collaterals[i]);
        }
    }

    /// @notice Adds one collateral (up to 8 per market). A new token is not attested: the market's exact-transfers
    /// attestation is withdrawn (the balance check is made again) until the admin attests again.
    function addCollateral(
        mapping(uint256 => IBallastCore.MarketConfig) storage configs,
        mapping(uint256 => IBallastCore.Collateral[8]) storage colsOf,
        uint256 id,
        IBallastCore.CollateralParams calldata p
    ) external {
        IBallastCore.MarketConfig storage c = configOf(configs, id);
        if (c.collateralCount >= C.MAX_COLLATERALS) {
            revert IBallastCore.TooManyCollaterals(uint256(c.collateralCount) + 1);
        }
        _addCollateral(c, colsOf[id], id, p);
        if (c.flags & C.FLAG_EXACT_TRANSFERS != 0) {
            c.flags &= ~C.FLAG_EXACT_TRANSFERS;
            emit IBallastCore.ExactTransfersSet(id, false);
        }
    }

    function _addCollateral(
        IBallastCore.MarketConfig storage c,
        IBallastCore.Collateral[8] storage cols,
        uint256 id,
        IBallastCore.CollateralParams calldata p
    ) private {
        if (p.token == address(0)) revert IBallastCore.ZeroAddress();
        if (p.token == c.loanToken) revert IBallastCore.DuplicateCollateral(p.token);
        uint256 n = c.collateralCount;
        for (uint256 i; i < n; ++i) {
            if (cols[i].token == p.token) revert IBallastCore.DuplicateCollateral(p.token);
        }
        checkAdapter(p.token, p.adapter);
        checkCollateralRisk(p.ltv, p.liquidationThreshold, p.liquidationBonus);
        IBallastCore.Collateral storage col = cols[n];
        col.token = p.token;
        col.adapter = p.adapter;
        col.ltv = p.ltv;
        col.liquidationThreshold = p.liquidationThreshold;
        col.liquidationThresholdE9 = toE9(p.liquidationThreshold);
        col.liquidationBonus = p.liquidationBonus;
        col.supplyCap = p.supplyCap;
        c.collateralCount = uint8(n + 1);
        emit IBallastCore.CollateralAdded(id, n, p.token, address(p.adapter));
        emit IBallastCore.CollateralRiskSet(id, n, p.ltv, p.liquidationThreshold, p.liquidationBonus, p.supplyCap);
    }

    /// @notice Sets or replaces the market's insurance fund. The fund must name this core and market, hold the loan
    /// token and not be retired. A fund in place is replaced only when nothing is owed between it and the market:
    /// no premium owed to it (the core accrued first; `claimPremium` in the same block settles it) and no pending
    /// shortfall (its stakers' price carries the expected draw). The outgoing fund is then retired.
    function setInsuranceFund(
        IBallastCore.MarketConfig storage c,
        IBallastCore.Market storage m,
        uint256 id,
        address newFund
    ) external {
        if (newFund == address(0)) revert IBallastCore.ZeroAddress();
        IInsuranceFund fund = IInsuranceFund(newFund);
        IInsuranceFund old = c.insuranceFund;
        if (
            fund == old ||
            fund.core() != address(this) ||
            fund.marketId() != id ||
            fund.asset() != c.loanToken ||
            fund.retired()
        ) revert IBallastCore.InsuranceFundMismatch(newFund);
        if (address(old) != address(0)) {
            // The outgoing fund's cash parked here and its premium go back to it first, as far as cash allows.
            _payFund(m, c, id, address(old));
            if (m.premiumOwed != 0 || m.pendingShortfall != 0) {
                revert IBallastCore.InsuranceFundOwed(id, m.premiumOwed, m.pendingShortfall);
            }
            old.retire();
        }
        c.insuranceFund = fund;
        m.premiumCut = toE9(c.insurancePremiumFactor);
        emit IBallastCore.InsuranceFundSet(id, newFund);
        fund.park(); // what was staked before registration is parked here at once, where a draw can reach it
    }

    /// @notice Sets the supply and borrow caps.
    function setCaps(
        mapping(uint256 => IBallastCore.MarketConfig) storage configs,
        uint256 id,
        uint128 supplyCap,
        uint128 borrowCap
    ) external {
        IBallastCore.MarketConfig storage c = configOf(configs, id);
        c.supplyCap = supplyCap;
        c.borrowCap = borrowCap;
        emit IBallastCore.CapsSet(id, supplyCap, borrowCap);
    }

    /// @notice Sets the minimum borrow and minimum leftover debt (loan-asset units).
    function setMinAmounts(
        mapping(uint256 => IBallastCore.MarketConfig) storage configs,
        uint256 id,
        uint128 minBorrow,
        uint128 minLeftover
    ) external {
        IBallastCore.MarketConfig storage c = configOf(configs, id);
        if (minLeftover > c.minLeftover) requireAdmin("minLeftover");
        c.minBorrow = minBorrow;
        c.minLeftover = minLeftover;
        emit IBallastCore.MinAmountsSet(id, minBorrow, minLeftover);
    }

    /// @notice Sets the rate model within bounds (the core accrues first).
    function setRateModel(IBallastCore.MarketConfig storage c, uint256 id, IBallastCore.RateModel calldata r) external {
        checkRateModel(r);
        c.rateModel = r;
        emit IBallastCore.RateModelSet(id, r);
    }

    /// @notice Sets the reserve and insurance premium factors within bounds (the core accrues first).
    function setFactors(
        IBallastCore.MarketConfig storage c,
        IBallastCore.Market storage m,
        uint256 id,
        uint64 reserveFactor,
        uint64 premiumFactor
    ) external {
        checkFactors(reserveFactor, premiumFactor);
        c.reserveFactor = reserveFactor;
        c.insurancePremiumFactor = premiumFactor;
        // The accrual's copies; the premium cut stays 0 until a fund is set.
        m.reserveCut = toE9(reserveFactor);
        if (address(c.insuranceFund) != address(0)) m.premiumCut = toE9(premiumFactor);
        emit IBallastCore.FactorsSet(id, reserveFactor, premiumFactor);
    }

    /// @notice Sets the reserve floor.
    function setReserveFloor(
        mapping(uint256 => IBallastCore.MarketConfig) storage configs,
        uint256 id,
        uint128 floor
    ) external {
        IBallastCore.MarketConfig storage c = configOf(configs, id);
        c.reserveFloor = floor;
        emit IBallastCore.ReserveFloorSet(id, floor);
    }

    /// @notice Replaces the loan asset's adapter (index -1) or a collateral's.
    function setAdapter(
        mapping(uint256 => IBallastCore.MarketConfig) storage configs,
        mapping(uint256 => IBallastCore.Collateral[8]) storage colsOf,
        uint256 id,
        int256 index,
        address newAdapter
    ) external {
        IBallastCore.MarketConfig storage c = configOf(configs, id);
        IPriceAdapter adapter = IPriceAdapter(newAdapter);
        if (index < 0) {
            checkAdapter(c.loanToken, adapter);
            c.loanAdapter = adapter;
        } else {
            if (uint256(index) >= c.collateralCount) revert IBallastCore.InvalidCollateralIndex(id, uint256(index));
            IBallastCore.Collateral storage col = colsOf[id][uint256(index)];
            checkAdapter(col.token, adapter);
            col.adapter = adapter;
        }
        emit IBallastCore.AdapterSet(id, index, address(adapter));
    }

    /// @notice Sets a collateral's risk parameters within the hard bounds.
    function setCollateralRisk(
        mapping(uint256 => IBallastCore.MarketConfig) storage configs,
        mapping(uint256 => IBallastCore.Collateral[8]) storage colsOf,
        uint256 id,
        uint256 index,
        uint64 ltv,
        uint64 liquidationThreshold,
        uint64 liquidationBonus,
        uint128 supplyCap
    ) external {
        IBallastCore.Collateral storage col = collateralAt(configs, colsOf, id, index);
        checkCollateralRisk(ltv, liquidationThreshold, liquidationBonus);
        // Changes that make existing positions liquidatable, or take more from them, wait for the timelock.
        if (liquidationThreshold < col.liquidationThreshold) requireAdmin("liquidationThreshold");
        if (liquidationBonus > col.liquidationBonus) requireAdmin("liquidationBonus");
        col.ltv = ltv;
        col.liquidationThreshold = liquidationThreshold;
        col.liquidationThresholdE9 = toE9(liquidationThreshold);
        col.liquidationBonus = liquidationBonus;
        col.supplyCap = supplyCap;
        emit IBallastCore.CollateralRiskSet(id, index, ltv, liquidationThreshold, liquidationBonus, supplyCap);
    }

    /// @notice Sets liquidation parameters within the hard bounds.
    function setLiquidationParams(
        mapping(uint256 => IBallastCore.MarketConfig) storage configs,
        uint256 id,
        uint64 closeFactorHfThreshold,
        uint64 protocolBonusShare,
        uint64 liquidationGracePeriod
    ) external {
        IBallastCore.MarketConfig storage c = configOf(configs, id);
        if (
            closeFactorHfThreshold < C.MIN_CLOSE_FACTOR_HF_THRESHOLD ||
            closeFactorHfThreshold > C.MAX_CLOSE_FACTOR_HF_THRESHOLD
        ) revert IBallastCore.ParameterOutOfBounds("closeFactorHfThreshold", closeFactorHfThreshold);
        if (protocolBonusShare > C.MAX_PROTOCOL_BONUS_SHARE) {
            revert IBallastCore.ParameterOutOfBounds("protocolBonusShare", protocolBonusShare);
        }
        if (liquidationGracePeriod > C.MAX_LIQUIDATION_GRACE_PERIOD) {
            revert IBallastCore.ParameterOutOfBounds("liquidationGracePeriod", liquidationGracePeriod);
        }
        c.closeFactorHfThreshold = closeFactorHfThreshold;
        c.protocolBonusShare = protocolBonusShare;
        c.liquidationGracePeriod = liquidationGracePeriod;
        emit IBallastCore.LiquidationParamsSet(id, closeFactorHfThreshold, protocolBonusShare, liquidationGracePeriod);
    }

    /// @notice Pauses and unpauses actions; repay cannot be paused; collateral deposits cannot be paused while
    /// liquidation is not; unpausing liquidation starts its grace period.
    function setPaused(
        mapping(uint256 => IBallastCore.MarketConfig) storage configs,
        mapping(uint256 => IBallastCore.Market) storage markets,
        uint256 id,
        uint16 paused
    ) external {
        IBallastCore.MarketConfig storage c = configOf(configs, id);
        IBallastCore.Market storage m = markets[id];
        if (paused & C.PAUSE_REPAY != 0) revert IBallastCore.RepayCannotBePaused();
        if (paused & ~C.PAUSE_ALL_ALLOWED != 0) revert IBallastCore.ParameterOutOfBounds("paused", paused);
        // Borrowers must be able to cure while they can be liquidated: collateral deposits are paused only
        // together with liquidation (unpausing liquidation then starts its grace period).
        if (paused & C.PAUSE_COLLATERAL_IN != 0 && paused & C.PAUSE_LIQUIDATE == 0) {
            revert IBallastCore.LiquidationWithoutCure(id, paused);
        }
        if (c.paused & C.PAUSE_LIQUIDATE != 0 && paused & C.PAUSE_LIQUIDATE == 0) {
            m.liquidationGraceUntil = uint48(block.timestamp + c.liquidationGracePeriod);
            c.flags |= C.FLAG_GRACE_SET;
        }
        c.paused = paused;
        emit IBallastCore.PausedSet(id, paused, m.liquidationGraceUntil);
    }

    /// @notice Attests (`exact` true: the admin only, the timelock after vetting the tokens) or withdraws (`exact`
    /// false: the guardian or the admin, without delay) that every token of the market transfers exactly the amount
    /// asked; attested, the core's pulls skip their balance check. Else `ExactTransfersUnauthorized`.
    function setExactTransfers(
        mapping(uint256 => IBallastCore.MarketConfig) storage configs,
        uint256 id,
        bool exact
    ) external {
        IBallastCore.MarketConfig storage c = configOf(configs, id);
        IAccessControl core = IAccessControl(address(this)); // this library runs in the core's context
        if (!core.hasRole(0x00, msg.sender) && (exact || !core.hasRole(C.GUARDIAN_ROLE, msg.sender))) {
            revert IBallastCore.ExactTransfersUnauthorized(msg.sender, exact);
        }
        c.flags = exact ? c.flags | C.FLAG_EXACT_TRANSFERS : c.flags & ~C.FLAG_EXACT_TRANSFERS;
        emit IBallastCore.ExactTransfersSet(id, exact);
    }

    /// @dev Market `id`'s configuration (the core's `_config[id]`), else `MarketNotCreated`: the setters the core
    /// passes its mapping to check here, which keeps the core's wrappers small (EIP-170 headroom).
    function configOf(
        mapping(uint256 => IBallastCore.MarketConfig) storage configs,
        uint256 id
    ) internal view returns (IBallastCore.MarketConfig storage c) {
        c = configs[id];
        if (c.loanToken == address(0)) revert IBallastCore.MarketNotCreated(id);
    }

    /// @dev Collateral `index` of market `id`, else `MarketNotCreated` or `InvalidCollateralIndex`.
    function collateralAt(
        mapping(uint256 => IBallastCore.MarketConfig) storage configs,
        mapping(uint256 => IBallastCore.Collateral[8]) storage colsOf,
        uint256 id,
        uint256 index
    ) internal view returns (IBallastCore.Collateral storage) {
        if (index >= configOf(configs, id).collateralCount) revert IBallastCore.InvalidCollateralIndex(id, index);
        return colsOf[id][index];
    }

    /// @notice Reverts `AdminOnlyChange(parameter)` unless the caller of the core holds its admin role (this library
    /// runs in the core's context: `address(this)` is the core, `msg.sender` its caller). In production the admin is
    /// the timelock, which also holds the risk role so it can call the risk setters.
    function requireAdmin(bytes32 parameter) internal view {
        if (!IAccessControl(address(this)).hasRole(0x00, msg.sender)) revert IBallastCore.AdminOnlyChange(parameter);
    }

    /// @notice The adapter must be set and price `token`, and one whole token must price inside its bounds
    /// (the adapter's `price()` reverts otherwise: a configuration-time unit check, the PAXG and cbETH lesson).
    function checkAdapter(address token, IPriceAdapter adapter) internal view {
        if (address(adapter) == address(0)) revert IBallastCore.ZeroAddress();
        if (adapter.token() != token) revert IBallastCore.PriceScaleMismatch(token, 0);
        adapter.price(); // reverts with the adapter's error if the feed is invalid or out of bounds now
    }

    /// @dev The 32-bit copy (Market.reserveCut, premiumCut; Collateral.liquidationThresholdE9) of a WAD factor or
    /// threshold: exact, because checkFactors and checkCollateralRisk accept only multiples of CUT_UNIT below 1e18.
    function toE9(uint256 wad) internal pure returns (uint32) {
        return uint32(wad / C.CUT_UNIT);
    }

    /// @notice LTV < threshold <= 95%, bonus <= 20%, threshold x (1 + bonus) < 100%; the threshold a multiple of
    /// CUT_UNIT (at most 9 decimals: Collateral.liquidationThresholdE9 is exact).
    function checkCollateralRisk(uint64 ltv, uint64 lt, uint64 bonus) public pure {
        if (lt > C.MAX_LIQUIDATION_THRESHOLD || lt == 0 || lt % C.CUT_UNIT != 0) {
            revert IBallastCore.ParameterOutOfBounds("liquidationThreshold", lt);
        }
        if (ltv >= lt) revert IBallastCore.ParameterOutOfBounds("ltv", ltv);
        if (bonus > C.MAX_LIQUIDATION_BONUS) revert IBallastCore.ParameterOutOfBounds("liquidationBonus", bonus);
        // A liquidation just below HF 1 must be able to pay its bonus out of the collateral.
        if (uint256(lt).wMulUp(C.WAD + bonus) >= C.WAD) {
            revert IBallastCore.ParameterOutOfBounds("liquidationBonus", bonus);
        }
    }

    /// @notice Base rate <= 100%, slopes <= 1,000% a year, target utilization in [1%, 99%].
    function checkRateModel(IBallastCore.RateModel calldata r) public pure {
        if (r.baseRate > C.MAX_BASE_RATE) revert IBallastCore.ParameterOutOfBounds("baseRate", r.baseRate);
        if (r.slope1 > C.MAX_SLOPE) revert IBallastCore.ParameterOutOfBounds("slope1", r.slope1);
        if (r.slope2 > C.MAX_SLOPE) revert IBallastCore.ParameterOutOfBounds("slope2", r.slope2);
        if (r.targetUtilization < C.MIN_TARGET_UTILIZATION || r.targetUtilization > C.MAX_TARGET_UTILIZATION) {
            revert IBallastCore.ParameterOutOfBounds("targetUtilization", r.targetUtilization);
        }
    }

    /// @notice Reserve factor <= 50%, premium factor <= 50%, each a multiple of CUT_UNIT (9 decimals at most).
    function checkFactors(uint64 reserveFactor, uint64 premiumFactor) public pure {
        if (reserveFactor > C.MAX_RESERVE_FACTOR || reserveFactor % C.CUT_UNIT != 0) {
            revert IBallastCore.ParameterOutOfBounds("reserveFactor", reserveFactor);
        }
        if (premiumFactor > C.MAX_INSURANCE_PREMIUM_FACTOR || premiumFactor % C.CUT_UNIT != 0) {
            revert IBallastCore.ParameterOutOfBounds("insurancePremiumFactor", premiumFactor);
        }
    }

    /// @notice Sends `amount` of the market's reserves to `to` (the market must be accrued): never below the
    /// reserve floor, and only from cash beyond what the core holds for the insurance fund (interest still owed by
    /// borrowers counts in reserves, not in the balance).
    function withdrawReserves(
        IBallastCore.Market storage m,
        IBallastCore.MarketConfig storage c,
        uint256 id,
        uint256 amount,
        address to
    ) external {
        if (to == address(0)) revert IBallastCore.ZeroAddress();
        uint256 reserves = m.reserves;
        if (amount > reserves || reserves - amount < c.reserveFloor) {
            revert IBallastCore.ReserveFloorBreached(reserves.zeroFloorSub(amount), c.reserveFloor);
        }
        // The fund's claim comes first: what the core holds for it (premium and the stake it parked) never pays
        // reserves booked from interest borrowers still owe.
        uint256 cash = _cash(m).zeroFloorSub(m.premiumOwed);
        if (amount > cash) revert IBallastCore.InsufficientLiquidity(id, cash, amount);
        m.reserves = uint96(reserves - amount);
        emit IBallastCore.ReservesWithdrawn(id, to, amount);
        IERC20(c.loanToken).safeTransfer(to, amount);
    }

    /// @notice Sends what the core holds for the market's insurance fund (`premiumOwed`: its premium and the cash it
    /// parked) to the fund, which alone may ask (the market must be accrued), as far as the market's cash allows: what
    /// exceeds the cash is premium still owed by borrowers, and suppliers' free liquidity (at most cash minus premium)
    /// is never touched. Only the fund, so nobody can take its parked cash out of reach of a draw.
    function claimPremium(
        IBallastCore.Market storage m,
        IBallastCore.MarketConfig storage c,
        uint256 id
    ) external returns (uint256) {
        _onlyFund(c, id);
        return _payFund(m, c, id, msg.sender);
    }

    /// @notice Parks `assets` of the market's insurance fund's idle cash in the core (the fund alone may): they join
    /// what the core holds for it (`premiumOwed`), so a draw moves no tokens. Credited with what the core received
    /// (measured by its balance); the total stays within the supply bound (InterestLib.MAX_SUPPLY_ASSETS).
    function storeFund(
        mapping(uint256 => IBallastCore.Market) storage markets,
        mapping(uint256 => IBallastCore.MarketConfig) storage configs,
        uint256 id,
        uint256 assets
    ) external {
        IBallastCore.MarketConfig storage c = configs[id];
        IBallastCore.Market storage m = markets[id];
        _onlyFund(c, id);
        if (assets == 0) revert IBallastCore.ZeroAmount();
        // Credited with what arrives (the caller holds the lock, nothing else can move the balance meanwhile): a loan
        // token that turns a transfer fee on later still lets the fund park and its stakers leave, less the fee
        // (review, session 4: F3), and nothing is ever credited that the core did not receive.
        IERC20 token = IERC20(c.loanToken);
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), assets);
        uint256 received = token.balanceOf(address(this)) - before;
        uint256 owed = m.premiumOwed + received;
        if (owed > InterestLib.MAX_SUPPLY_ASSETS) {
            revert IBallastCore.SupplyCapExceeded(id, owed, InterestLib.MAX_SUPPLY_ASSETS);
        }
        m.premiumOwed = uint96(owed);
        emit IBallastCore.FundCashStored(id, msg.sender, received);
    }

    function _onlyFund(IBallastCore.MarketConfig storage c, uint256 id) private view {
        if (msg.sender != address(c.insuranceFund)) {
            revert IBallastCore.NotInsuranceFund(id, msg.sender);
        }
    }

    /// @dev Pays `fund` min(premiumOwed, cash): the market's cash bounds it (premium beyond it is owed by borrowers).
    function _payFund(
        IBallastCore.Market storage m,
        IBallastCore.MarketConfig storage c,
        uint256 id,
        address fund
    ) private returns (uint256 claimed) {
        claimed = uint256(m.premiumOwed).min(_cash(m));
        if (claimed == 0) return 0;
        m.premiumOwed -= uint96(claimed);
        emit IBallastCore.PremiumClaimed(id, fund, claimed);
        IERC20(c.loanToken).safeTransfer(fund, claimed);
    }

    /// @dev The market's loan-token cash: supplied + reserves + premium owed - borrowed (the accounting identity).
    function _cash(IBallastCore.Market storage m) private view returns (uint256) {
        return (uint256(m.totalSupplyAssets) + m.reserves + m.premiumOwed).zeroFloorSub(m.totalBorrowAssets);
    }

    /// @notice Sends `amount` of the protocol's share of liquidation bonuses in collateral `index` to `to`.
    function withdrawProtocolCollateral(
        mapping(uint256 => IBallastCore.MarketConfig) storage configs,
        mapping(uint256 => IBallastCore.Collateral[8]) storage colsOf,
        uint256 id,
        uint256 index,
        uint256 amount,
        address to
    ) external {
        IBallastCore.Collateral storage col = collateralAt(configs, colsOf, id, index);
        if (to == address(0)) revert IBallastCore.ZeroAddress();
        uint256 bal = col.protocolBalance;
        if (amount > bal) revert IBallastCore.InsufficientBalance(bal, amount);
        col.protocolBalance = uint128(bal - amount);
        emit IBallastCore.ProtocolCollateralWithdrawn(id, index, to, amount);
        IERC20(col.token).safeTransfer(to, amount);
    }

    bytes32 internal constant AUTHORIZATION_TYPEHASH = keccak256(
        "Authorization(address authorizer,address authorized,bool isAuthorized,uint256 nonce,uint256 deadline)"
    );

    /// @notice `BallastCore.setAuthorization` (here to keep the core's bytecode small): the caller (un)authorizes
    /// `authorized`; a direct change uses the caller's nonce, voiding every signature not yet submitted, which could
    /// otherwise undo it.
    function setAuthorization(
        mapping(address => mapping(address => bool)) storage isAuthorized,
        mapping(address => uint256) storage nonce,
        address authorized,
        bool newIsAuthorized
    ) external {
        isAuthorized[msg.sender][authorized] = newIsAuthorized;
        emit IBallastCore.NonceUsed(msg.sender, nonce[msg.sender]++);
        emit IBallastCore.AuthorizationSet(msg.sender, msg.sender, authorized, newIsAuthorized);
    }

    /// @notice `BallastCore.setAuthorizationWithSig` (here to keep the core's bytecode small): checks the deadline,
    /// the nonce and the EIP-712 signature of `a.authorizer` under the core's `domain` separator, then uses the nonce
    /// and sets the authorization.
    function setAuthorizationWithSig(
        mapping(address => mapping(address => bool)) storage isAuthorized,
        mapping(address => uint256) storage nonce,
        bytes32 domain,
        IBallastCore.Authorization calldata a,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        if (block.timestamp > a.deadline) revert IBallastCore.SignatureExpired(a.deadline);
        uint256 expected = nonce[a.authorizer];
        if (a.nonce != expected) revert IBallastCore.InvalidNonce(expected, a.nonce);
        bytes32 digest = MessageHashUtils.toTypedDataHash(
            domain,
            keccak256(
                abi.encode(AUTHORIZATION_TYPEHASH, a.authorizer, a.authorized, a.isAuthorized, a.nonce, a.deadline)
            )
        );
        (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecover(digest, v, r, s);
        if (err != ECDSA.RecoverError.NoError || signer != a.authorizer) revert IBallastCore.InvalidSignature();
        nonce[a.authorizer] = expected + 1;
        isAuthorized[a.authorizer][a.authorized] = a.isAuthorized;
        emit IBallastCore.NonceUsed(a.authorizer, expected);
        emit IBallastCore.AuthorizationSet(msg.sender, a.authorizer, a.authorized, a.isAuthorized);
    }
}
