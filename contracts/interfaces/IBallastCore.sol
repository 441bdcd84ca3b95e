// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPriceAdapter} from "./IPriceAdapter.sol";
import {IInsuranceFund} from "./IInsuranceFund.sol";

/// @title IBallastCore
/// @notice The Ballast singleton: every market's accounting, positions, liquidation and bad-debt waterfall.
/// @dev Ratios (LTV, thresholds, bonus, factors, rates) are WAD (1e18 = 100%). Rates are annual and compound per
/// second. Amounts are in the token's base units. Prices come from `IPriceAdapter` (USD per base unit x 1e36).
interface IBallastCore {
    // ------------------------------------------------------------------ types

    /// @notice Risk parameters of one collateral of a market.
    struct CollateralParams {
        address token;
        IPriceAdapter adapter;
        uint64 ltv; // max debt value / collateral value for borrowing and withdrawing collateral
        uint64 liquidationThreshold; // health factor weight; ltv < threshold <= 95%
        uint64 liquidationBonus; // extra collateral paid to liquidators; <= 20%
        uint128 supplyCap; // max total of this collateral in the market (token units)
    }

    /// @notice Kinked interest rate model (annual rates, WAD).
    struct RateModel {
        uint64 baseRate;
        uint64 slope1; // added linearly from 0 to targetUtilization
        uint64 slope2; // added linearly from targetUtilization to 100%
        uint64 targetUtilization;
    }

    /// @notice Everything governance chooses when it creates a market.
    struct MarketParams {
        address loanToken;
        IPriceAdapter loanAdapter;
        uint128 supplyCap;
        uint128 borrowCap;
        uint128 minBorrow; // loan-asset units: smallest debt a borrow may leave
        uint128 minLeftover; // loan-asset units: smallest debt a partial repay or liquidation may leave
        uint64 reserveFactor;
        uint64 insurancePremiumFactor;
        RateModel rateModel;
        CollateralParams[] collaterals;
    }

    /// @notice Market totals (storage layout: 4 slots, docs/ARCHITECTURE.md). Each of the three slots a hot step
    /// writes is non-zero from the market's creation, so no step ever pays a write from zero for them: slot 0 (the
    /// supply totals) holds `createdAt`, slot 1 (the borrow totals) `lastUpdate`, slot 2 (the accrual's cuts)
    /// the cuts (0 only while both factors are 0, and then the accrual rewrites the slot unchanged), slot 3 (the
    /// shortfall) `createdBlock`. Asset totals are uint96 (7.9e28 units: 79 billion tokens of 18 decimals): interest
    /// saturates there (InterestLib.MAX_TOTAL), a supply or borrow past it reverts (SafeCast); share totals uint120
    /// (1.3e36). `reserves` and `premiumOwed` are uint96 too: the accrual's cuts saturate there, the rest going to
    /// suppliers. The accrual reads slots 0-2 and the rate model (config slot 3), not the config's slot 0.
    struct Market {
        uint96 totalSupplyAssets; // slot 0: supply, withdraw, every accrual and every share price
        uint120 totalSupplyShares;
        uint32 createdAt; // block time of createMarket
        bool shortfallPending; // pendingShortfall != 0: supply, withdraw and repay skip the fourth slot without it
        uint96 totalBorrowAssets; // slot 1: borrow, repay, liquidation, every accrual
        uint120 totalBorrowShares;
        uint40 lastUpdate;
        uint96 reserves; // slot 2: protocol's first-loss capital, in loan assets
        uint96 premiumOwed; // held for the insurance fund: premium accrued and the cash the fund parked (storeFund)
        uint32 reserveCut; // reserveFactor / 1e9 (exact): the accrual's reserve cut, beside what it adds to
        uint32 premiumCut; // insurancePremiumFactor / 1e9 once a fund is set (0 before): the accrual's premium cut
        uint128 pendingShortfall; // slot 3: sum of flagged positions' estimated bad debt
        uint48 liquidationGraceUntil; // liquidations revert until then (set when liquidation is unpaused)
        uint32 flaggedPositions; // how many positions carry a flag (each realizes as its own waterfall event)
        uint48 createdBlock; // block number of createMarket: where event scans of the market start
    }

    /// @notice Market configuration (storage layout, 8 slots; docs/ARCHITECTURE.md says which step reads which).
    struct MarketConfig {
        address loanToken; // slot 0: every entry point but accrueInterest reads it (market check, pause flags)
        uint8 collateralCount;
        uint16 paused; // bit flags, see PAUSE_* constants in ConstantsLib
        uint8 flags; // bit flags, see FLAG_* in ConstantsLib: grace period ever set, exact transfers attested
        IInsuranceFund insuranceFund; // slot 1: fund checks and draws (the accrual reads Market.premiumCut instead)
        uint64 insurancePremiumFactor; // WAD, a multiple of 1e9 (CUT_UNIT)
        IPriceAdapter loanAdapter; // slot 2
        RateModel rateModel; // slot 3
        uint128 supplyCap; // slot 4: supply
        uint64 liquidationGracePeriod; // applied when liquidation is unpaused (default 1 hour, max 4 hours)
        uint64 reserveFactor; // WAD, a multiple of 1e9 (CUT_UNIT)
        uint128 borrowCap; // slot 5: a borrow reads both
        uint128 minBorrow;
        uint128 minLeftover; // slot 6: repay and liquidation
        uint64 closeFactorHfThreshold; // below this health factor a liquidation may repay 100% (default 0.95)
        uint64 protocolBonusShare; // share of the liquidation bonus kept as protocol collateral reserves
        uint128 reserveFloor; // slot 7: reserves governance may not withdraw below
    }

    /// @notice One collateral of a market (storage layout: fields read together share a slot). A borrow reads slot 2
    /// only; a liquidation slots 0-2 (slot 3 only when the protocol keeps part of the bonus).
    struct Collateral {
        address token; // slot 0
        uint64 liquidationBonus;
        uint128 totalSupplied; // slot 1
        uint128 supplyCap;
        IPriceAdapter adapter; // slot 2: every valuation
        uint64 ltv;
        uint32 liquidationThresholdE9; // liquidationThreshold / 1e9 (exact): what a health check reads
        uint64 liquidationThreshold; // slot 3; WAD, a multiple of 1e9
        uint128 protocolBalance; // protocol's share of liquidation bonuses, withdrawable by the admin
    }

    /// @notice One account's position in one market (storage layout). Debt shares share a slot with the first
    /// collateral (Morpho Blue's layout): a first borrow against it rewrites a slot the collateral made non-zero.
    /// Read collateral `i` with `PositionLib.collateralOf`.
    struct Position {
        uint128 supplyShares;
        uint128 shortfall; // flagged estimate of the bad debt a full liquidation would leave
        uint128 borrowShares;
        uint128 collateral0;
        uint128[7] collateral1To7;
    }

    /// @notice Off-chain authorization of `authorized` by `authorizer` (EIP-712).
    struct Authorization {
        address authorizer;
        address authorized;
        bool isAuthorized;
        uint256 nonce;
        uint256 deadline;
    }

    // ------------------------------------------------------------------ errors

    error MarketNotCreated(uint256 id);
    error InvalidCollateralIndex(uint256 id, uint256 index);
    error ZeroAddress();
    error ZeroAmount();
    error InconsistentInput(); // exactly one of assets / shares must be non-zero
    error ZeroShares(uint256 assets); // the amount rounds to zero shares
    error Unauthorized(address owner, address caller);
    error ActionPaused(uint256 id, uint16 action);
    /// @notice `setPaused` would pause collateral deposits while liquidation stays on (borrowers could not cure).
    error LiquidationWithoutCure(uint256 id, uint16 paused);
    error RepayCannotBePaused();
    error SupplyCapExceeded(uint256 id, uint256 totalAfter, uint256 cap);
    error BorrowCapExceeded(uint256 id, uint256 totalAfter, uint256 cap);
    error CollateralCapExceeded(uint256 id, uint256 index, uint256 totalAfter, uint256 cap);
    error InsufficientLiquidity(uint256 id, uint256 available, uint256 requested);
    error InsufficientBalance(uint256 available, uint256 requested);
    error BorrowAboveLtv(uint256 id, address borrower, uint256 debtValue, uint256 maxDebtValue);
    error DebtBelowMinimum(uint256 id, uint256 debt, uint256 minimum);
    error HealthyPosition(uint256 id, address borrower);
    error NoDebt(uint256 id, address borrower);
    error LiquidationGracePeriod(uint256 id, uint256 until);
    error DebtDustLeft(uint256 debtLeft, uint256 minimum);
    error CollateralDustLeft(uint256 collateralLeftValue, uint256 minimum);
    error FeeOnTransferNotSupported(address token, uint256 expected, uint256 received);
    /// @notice `setExactTransfers`: attesting exact transfers (`exact` true) needs the admin (the timelock); turning
    /// the balance check back on (`exact` false) needs the guardian or the admin.
    error ExactTransfersUnauthorized(address account, bool exact);
    error ParameterOutOfBounds(bytes32 parameter, uint256 value);
    error TooManyCollaterals(uint256 count);
    error DuplicateCollateral(address token);
    error InsuranceFundMismatch(address fund);
    error InsuranceFundOwed(uint256 id, uint256 premiumOwed, uint256 pendingShortfall);
    error NotInsuranceFund(uint256 id, address caller); // only the market's insurance fund may move its cash
    error ReserveFloorBreached(uint256 reservesAfter, uint256 floor);
    error NotShort(uint256 id, address borrower, uint256 debt, uint256 recoverable);
    error NotFlagged(uint256 id, address borrower);
    error StillShort(uint256 id, address borrower, uint256 estimate);
    error SignatureExpired(uint256 deadline);
    error InvalidNonce(uint256 expected, uint256 given);
    error InvalidSignature();
    error PriceScaleMismatch(address token, uint256 price);
    /// @notice Only the admin (the timelock) may make this change: it can make existing positions liquidatable or
    /// take more from them (liquidation threshold down, liquidation bonus up, minimum leftover up).
    error AdminOnlyChange(bytes32 parameter);

    // Errors the core does not raise itself but returns unchanged from the contracts it calls, declared here so that
    // a client holding the core's ABI alone decodes every revert of a core call.
    // - a price adapter (IPriceAdapter and ChainlinkPriceAdapter): borrow, withdrawCollateral, liquidate,
    //   flagShortfall, clearShortfall, market and collateral configuration;
    error FeedReverted(address feed);
    error NonPositivePrice(address feed, int256 answer);
    error StalePrice(address feed, uint256 updatedAt, uint256 maxAge);
    error FuturePrice(address feed, uint256 updatedAt);
    error PriceOutOfBounds(address feed, int256 answer, int256 minAnswer, int256 maxAnswer);
    error SequencerDown();
    error GracePeriodNotOver(uint256 upSince, uint256 gracePeriod);
    error FallbackDeviationTooHigh(int256 primaryReference, int256 fallbackAnswer);
    error NoFallbackReference();
    // - an OpenZeppelin ERC-20 token (IERC20Errors) on a transfer the core pulls: a missing approval or balance.
    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);

    // ------------------------------------------------------------------ events

    event MarketCreated(uint256 indexed id, address indexed loanToken, address loanAdapter, uint256 collateralCount);
    event CollateralAdded(uint256 indexed id, uint256 indexed index, address token, address adapter);
    event CollateralRiskSet(
        uint256 indexed id,
        uint256 indexed index,
        uint64 ltv,
        uint64 liquidationThreshold,
        uint64 liquidationBonus,
        uint128 supplyCap
    );
    event AdapterSet(uint256 indexed id, int256 indexed index, address adapter); // index -1: loan asset
    event CapsSet(uint256 indexed id, uint128 supplyCap, uint128 borrowCap);
    event MinAmountsSet(uint256 indexed id, uint128 minBorrow, uint128 minLeftover);
    event RateModelSet(uint256 indexed id, RateModel rateModel);
    event FactorsSet(uint256 indexed id, uint64 reserveFactor, uint64 insurancePremiumFactor);
    event LiquidationParamsSet(
        uint256 indexed id,
        uint64 closeFactorHfThreshold,
        uint64 protocolBonusShare,
        uint64 liquidationGracePeriod
    );
    event ReserveFloorSet(uint256 indexed id, uint128 floor);
    event InsuranceFundSet(uint256 indexed id, address fund);
    event PausedSet(uint256 indexed id, uint16 paused, uint64 liquidationGraceUntil);
    /// @notice `exact` true: governance attested that every token of the market transfers exactly the amount asked,
    /// so pulls skip the balance check; false: the check is made (the default; also emitted by `addCollateral`
    /// when it clears an attestation).
    event ExactTransfersSet(uint256 indexed id, bool exact);

    event AccrueInterest(
        uint256 indexed id,
        uint256 borrowRate,
        uint256 interest,
        uint256 toReserves,
        uint256 toInsurance
    );
    event Supply(uint256 indexed id, address indexed caller, address indexed onBehalf, uint256 assets, uint256 shares);
    event Withdraw(
        uint256 indexed id,
        address caller,
        address indexed onBehalf,
        address indexed receiver,
        uint256 assets,
        uint256 shares
    );
    event Borrow(
        uint256 indexed id,
        address caller,
        address indexed onBehalf,
        address indexed receiver,
        uint256 assets,
        uint256 shares
    );
    event Repay(uint256 indexed id, address indexed caller, address indexed onBehalf, uint256 assets, uint256 shares);
    event SupplyCollateral(
        uint256 indexed id,
        address indexed caller,
        address indexed onBehalf,
        uint256 index,
        uint256 assets
    );
    event WithdrawCollateral(
        uint256 indexed id,
        address caller,
        address indexed onBehalf,
        address indexed receiver,
        uint256 index,
        uint256 assets
    );
    event Liquidate(
        uint256 indexed id,
        address indexed liquidator,
        address indexed borrower,
        uint256 index,
        uint256 repaidAssets,
        uint256 repaidShares,
        uint256 seizedAssets,
        uint256 protocolSeized
    );
    event BadDebtRealized(
        uint256 indexed id,
        address indexed borrower,
        uint256 amount,
        uint256 fromReserves,
        uint256 fromInsurance,
        uint256 socialized
    );
    event ShortfallFlagged(uint256 indexed id, address indexed borrower, uint256 amount);
    event ShortfallCleared(uint256 indexed id, address indexed borrower);
    event PremiumClaimed(uint256 indexed id, address indexed fund, uint256 amount);
    event FundCashStored(uint256 indexed id, address indexed fund, uint256 amount);
    event ReservesWithdrawn(uint256 indexed id, address indexed to, uint256 amount);
    event ProtocolCollateralWithdrawn(uint256 indexed id, uint256 indexed index, address indexed to, uint256 amount);
    event AuthorizationSet(
        address indexed caller,
        address indexed authorizer,
        address indexed authorized,
        bool isAuthorized
    );
    event NonceUsed(address indexed authorizer, uint256 nonce);

    // ------------------------------------------------------------------ governance

    /// @notice Creates a market (admin). Its id is the next sequential number, starting at 1.
    /// @param params Loan asset, its adapter, caps, minimums, factors, rate model and 1 to 8 collaterals.
    /// @return id The new market's id.
    function createMarket(MarketParams calldata params) external returns (uint256 id);

    /// @notice Adds a collateral to a market (admin), up to 8.
    /// @param id Market id.
    /// @param params The collateral's token, adapter and risk parameters.
    function addCollateral(uint256 id, CollateralParams calldata params) external;

    /// @notice Sets or replaces the insurance fund of a market (admin), after accruing. The fund must name this core
    /// and market, hold the loan token and not be retired (else `InsuranceFundMismatch`). A fund in place is
    /// replaced only when nothing is owed: what the core holds for it (premium and parked cash) is paid back to it
    /// first as far as cash allows, then no premium may remain owed and no shortfall pending (else
    /// `InsuranceFundOwed`); the outgoing fund is retired.
    /// @param id Market id.
    /// @param fund The fund.
    function setInsuranceFund(uint256 id, IInsuranceFund fund) external;

    /// @notice Replaces a price adapter (admin). `index` -1 is the loan asset; the adapter must price the same token.
    /// @param id Market id.
    /// @param index Collateral index, or -1 for the loan asset.
    /// @param adapter New adapter.
    function setAdapter(uint256 id, int256 index, IPriceAdapter adapter) external;

    /// @notice Sets a collateral's risk parameters (risk role), within the hard bounds. Lowering the liquidation
    /// threshold or raising the bonus also needs the admin role (the timelock, whose delay lets borrowers cure
    /// first), else `AdminOnlyChange`; the risk role alone may lower the LTV (to 0), raise the threshold, lower the
    /// bonus and set the cap.
    /// @param id Market id.
    /// @param index Collateral index.
    /// @param ltv Borrow LTV (WAD), below the threshold.
    /// @param liquidationThreshold Liquidation threshold (WAD), at most 95%.
    /// @param liquidationBonus Liquidation bonus (WAD), at most 20%, and threshold x (1 + bonus) < 100%.
    /// @param supplyCap Collateral supply cap (token units).
    function setCollateralRisk(
        uint256 id,
        uint256 index,
        uint64 ltv,
        uint64 liquidationThreshold,
        uint64 liquidationBonus,
        uint128 supplyCap
    ) external;

    /// @notice Sets the market's supply cap and borrow cap (risk role).
    /// @param id Market id.
    /// @param supplyCap Max total supplied assets.
    /// @param borrowCap Max total borrowed assets (the debt ceiling).
    function setCaps(uint256 id, uint128 supplyCap, uint128 borrowCap) external;

    /// @notice Sets the minimum borrow and minimum leftover debt, in loan-asset units (risk role). Raising the minimum
    /// leftover (which forces full liquidations and blocks partial repays) also needs the admin role.
    /// @param id Market id.
    /// @param minBorrow Smallest debt a borrow may leave.
    /// @param minLeftover Smallest non-zero debt a repay or liquidation may leave.
    function setMinAmounts(uint256 id, uint128 minBorrow, uint128 minLeftover) external;

    /// @notice Sets the kinked rate model (risk role), within bounds. Accrues first at the old model.
    /// @param id Market id.
    /// @param rateModel The new model.
    function setRateModel(uint256 id, RateModel calldata rateModel) external;

    /// @notice Sets the reserve factor (<= 50%) and insurance premium factor (<= 50%) (risk role). Accrues first.
    /// @param id Market id.
    /// @param reserveFactor Share of interest kept as reserves.
    /// @param insurancePremiumFactor Share of interest owed to the insurance fund.
    function setFactors(uint256 id, uint64 reserveFactor, uint64 insurancePremiumFactor) external;

    /// @notice Sets liquidation parameters (risk role).
    /// @param id Market id.
    /// @param closeFactorHfThreshold Health factor below which 100% of the debt may be repaid (0.5 to 1).
    /// @param protocolBonusShare Share of the bonus kept by the protocol (<= 50%).
    /// @param liquidationGracePeriod Grace after unpausing liquidation (<= 4 hours).
    function setLiquidationParams(
        uint256 id,
        uint64 closeFactorHfThreshold,
        uint64 protocolBonusShare,
        uint64 liquidationGracePeriod
    ) external;

    /// @notice Sets the reserve floor: reserves governance may never withdraw below (admin).
    /// @param id Market id.
    /// @param floor The floor, in loan assets.
    function setReserveFloor(uint256 id, uint128 floor) external;

    /// @notice Pauses and unpauses actions of a market (guardian). Repay cannot be paused. Collateral deposits
    /// can be paused only together with liquidation (`LiquidationWithoutCure`). Unpausing liquidation starts the
    /// liquidation grace period.
    /// @param id Market id.
    /// @param paused Bit flags of paused actions.
    function setPaused(uint256 id, uint16 paused) external;

    /// @notice Attests, or withdraws the attestation, that every token of the market (loan and collaterals)
    /// transfers exactly the amount asked: no fee, no rebasing on transfer. Attested, the core skips its balance
    /// check on each pull (two `balanceOf` calls); not attested (the default), a pull that delivers less reverts
    /// `FeeOnTransferNotSupported`. Attesting needs the admin (the timelock, after vetting the tokens); withdrawing
    /// the attestation (a token switches a fee on) needs the guardian or the admin, else
    /// `ExactTransfersUnauthorized`. `addCollateral` withdraws it: a new token is not attested.
    /// @param id Market id.
    /// @param exact True to attest (skip the check), false to make the check again.
    function setExactTransfers(uint256 id, bool exact) external;

    /// @notice Withdraws reserves down to the floor (admin), and only from the market's cash beyond what the core
    /// holds for the insurance fund (its premium and parked stake): reserves credited from interest that borrowers
    /// still owe cannot leave (`InsufficientLiquidity(id, available, amount)`). Accrues first.
    /// @param id Market id.
    /// @param amount Loan assets.
    /// @param to Receiver.
    function withdrawReserves(uint256 id, uint256 amount, address to) external;

    /// @notice Withdraws the protocol's collateral share of liquidation bonuses (admin).
    /// @param id Market id.
    /// @param index Collateral index.
    /// @param amount Collateral amount.
    /// @param to Receiver.
    function withdrawProtocolCollateral(uint256 id, uint256 index, uint256 amount, address to) external;

    // ------------------------------------------------------------------ users

    /// @notice Supplies loan assets to a market for `onBehalf`. Pass either `assets` or `shares`.
    /// @return assetsSupplied Assets pulled from the caller.
    /// @return sharesMinted Supply shares credited to `onBehalf` (rounded down when assets are given).
    function supply(
        uint256 id,
        uint256 assets,
        uint256 shares,
        address onBehalf
    ) external returns (uint256 assetsSupplied, uint256 sharesMinted);

    /// @notice Withdraws loan assets of `onBehalf` (the caller or an account that authorized it) to `receiver`.
    /// @return assetsWithdrawn Assets sent.
    /// @return sharesBurned Shares burned (rounded up when assets are given).
    function withdraw(
        uint256 id,
        uint256 assets,
        uint256 shares,
        address onBehalf,
        address receiver
    ) external returns (uint256 assetsWithdrawn, uint256 sharesBurned);

    /// @notice Borrows loan assets against `onBehalf`'s collateral, within the borrow LTV at valid prices.
    /// @return assetsBorrowed Assets sent to `receiver`.
    /// @return sharesMinted Debt shares added (rounded up when assets are given).
    function borrow(
        uint256 id,
        uint256 assets,
        uint256 shares,
        address onBehalf,
        address receiver
    ) external returns (uint256 assetsBorrowed, uint256 sharesMinted);

    /// @notice Repays debt of any position. Never reads a price and cannot be paused.
    /// @return assetsRepaid Assets pulled from the caller (rounded up when shares are given).
    /// @return sharesBurned Debt shares burned (rounded down when assets are given).
    function repay(
        uint256 id,
        uint256 assets,
        uint256 shares,
        address onBehalf
    ) external returns (uint256 assetsRepaid, uint256 sharesBurned);

    /// @notice Adds collateral number `index` to `onBehalf`'s position. Reads a price only when the position has
    /// debt and does not hold that collateral yet (reverts with the adapter's error if it is invalid); adding more
    /// of a held collateral, or to a position without debt, never reads a price.
    function supplyCollateral(uint256 id, uint256 index, uint256 assets, address onBehalf) external;

    /// @notice Withdraws collateral of `onBehalf` to `receiver`; with debt, the position must stay within its LTV.
    function withdrawCollateral(uint256 id, uint256 index, uint256 assets, address onBehalf, address receiver) external;

    /// @notice Liquidates an unhealthy position: repays up to `repayAssets` (type(uint256).max: the most allowed)
    /// and seizes collateral `index` with its bonus. If the position is left with no collateral, its remaining
    /// debt is realized as bad debt through the waterfall in the same transaction.
    /// @param id Market id.
    /// @param borrower The position.
    /// @param index Collateral to seize.
    /// @param repayAssets Upper bound of loan assets to repay, clamped to the close factor.
    /// @param receiver Receives the seized collateral.
    /// @param data If non-empty, `onBallastLiquidate` is called on the caller before it pays.
    /// @return seizedAssets Collateral taken from the position (protocol share included).
    /// @return repaidAssets Loan assets pulled from the caller.
    function liquidate(
        uint256 id,
        address borrower,
        uint256 index,
        uint256 repayAssets,
        address receiver,
        bytes calldata data
    ) external returns (uint256 seizedAssets, uint256 repaidAssets);

    /// @notice Books the estimated bad debt of a position that a full liquidation could not cover at valid prices.
    /// @return estimate The flagged shortfall, rounded up.
    function flagShortfall(uint256 id, address borrower) external returns (uint256 estimate);

    /// @notice Clears the flag of a position that is no longer short at valid prices.
    function clearShortfall(uint256 id, address borrower) external;

    /// @notice Accrues interest of a market up to now, in whole loan units rounded down. The seconds the booked
    /// units leave unpaid stay owed (lastUpdate advances only by the time paid for, and not at all while the
    /// interest rounds to zero); any other action settles them instead. One accrual multiplies debt at most 1e9-fold
    /// and no total passes type(uint128).max (interest beyond is not booked), so accrual never reverts.
    function accrueInterest(uint256 id) external;

    /// @notice Sends what the core holds for the market's insurance fund (`premiumOwed`: premium and parked cash) to
    /// the fund, as far as the market's idle cash allows. Only the fund may call it (`NotInsuranceFund`): it does so
    /// when a staker leaves, then parks the rest again.
    /// @return claimed Loan assets sent to the fund.
    function claimPremium(uint256 id) external returns (uint256 claimed);

    /// @notice Parks `assets` of the insurance fund's idle cash in the core (the market's fund only,
    /// `NotInsuranceFund`): what the core receives (by its balance) is added to `premiumOwed`, what the core holds for
    /// the fund, so a bad-debt draw is bookkeeping and moves no tokens. The cash stays the fund's: borrowers cannot
    /// borrow it (borrows stay within supplied assets) and only the fund can take it back (`claimPremium`).
    function storeFund(uint256 id, uint256 assets) external;

    /// @notice Lets `authorized` manage the caller's positions (or revokes it). Also uses the caller's current
    /// nonce (emits NonceUsed), so no signature signed before this call can undo it.
    function setAuthorization(address authorized, bool newIsAuthorized) external;

    /// @notice The same as `setAuthorization`, by an EIP-712 signature of the authorizer.
    function setAuthorizationWithSig(Authorization calldata authorization, uint8 v, bytes32 r, bytes32 s) external;

    // ------------------------------------------------------------------ views

    /// @notice Number of markets created; ids run from 1 to this.
    function marketCount() external view returns (uint256);

    /// @notice Market totals as stored (not accrued to now).
    function market(uint256 id) external view returns (Market memory);

    /// @notice Market configuration.
    function config(uint256 id) external view returns (MarketConfig memory);

    /// @notice Collateral `index` of a market.
    function collateral(uint256 id, uint256 index) external view returns (Collateral memory);

    /// @notice A position: supply shares, debt shares, flagged shortfall and collateral balances.
    function position(
        uint256 id,
        address user
    )
        external
        view
        returns (uint256 supplyShares, uint256 borrowShares, uint256 shortfall, uint256[8] memory collaterals);

    /// @notice The pending shortfall not expected to be covered by reserves and the insurance fund's caps, at its
    /// most (the fund's least draw, `drawBounds`): it lowers the supply share price of every exit. Entries are
    /// priced with the least uncovered figure (the fund's most draw), so nobody gains from the loss's uncertainty.
    function uncoveredShortfall(uint256 id) external view returns (uint256);

    /// @notice Whether `authorized` may act for `authorizer`.
    function isAuthorized(address authorizer, address authorized) external view returns (bool);

    /// @notice Next EIP-712 nonce of an authorizer.
    function nonce(address authorizer) external view returns (uint256);
}
