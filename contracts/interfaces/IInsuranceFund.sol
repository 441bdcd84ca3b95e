// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IInsuranceFund
/// @notice The staked backstop of one Ballast market: an ERC-4626 vault of the market's loan asset that the core
/// draws on, second in the bad-debt waterfall (after the market's reserves, before socialization).
interface IInsuranceFund {
    /// @notice The core and market this fund insures.
    function core() external view returns (address);

    /// @notice The id of the market this fund insures.
    function marketId() external view returns (uint256);

    /// @notice The token the fund holds and pays: it must be the market's loan token.
    function asset() external view returns (address);

    /// @notice True once the core has replaced this fund: it then counts no premium, expects no draw, takes no
    /// deposit, and lets stakers leave without a cooldown.
    function retired() external view returns (bool);

    /// @notice Called by the core only, when it replaces this fund (nothing owed either way). Irreversible.
    function retire() external;

    /// @notice What the fund holds for stakers before any pending-shortfall discount: its token balance plus what the
    /// core holds for it (`premiumOwed`: premium and parked cash).
    function grossAssets() external view returns (uint256);

    /// @notice The most the fund can pay for one bad-debt event right now: the lower of the per-event cap and what
    /// the rolling window cap has left, both shares of its drawable assets (what the core holds for it; tokens in the
    /// fund itself count once parked). A draw moves no tokens.
    function maxDraw() external view returns (uint256);

    /// @notice The least and the most the fund will pay for the market's pending shortfall after reserves, at the
    /// current state, whatever the order and timing of the realizations: least = min(owed, maxDraw()); most =
    /// min(owed, drawable, flaggedPositions x per-event cap + premium owed beyond the market's cash), rounded up,
    /// on the drawable assets as maxDraw().
    /// The core prices supply exits with `least` and entries with `most`; the fund prices stakers' exits with `most`.
    function drawBounds() external view returns (uint256 least, uint256 most);

    /// @notice The per-event cap: the most one bad-debt event may draw, as a share of drawable assets (WAD).
    function maxDrawPerEvent() external view returns (uint64);

    /// @notice The rolling cap: the most drawn over one window, as a share of gross assets plus what was drawn (WAD).
    function windowShare() external view returns (uint64);

    /// @notice What has been drawn in the current rolling window.
    function drawnInWindow() external view returns (uint256);

    /// @notice Parks the fund's idle cash in the core (`IBallastCore.storeFund`), where a draw reaches it without a
    /// transfer; a no-op while the fund is not the market's. The core calls it when it registers the fund; anyone
    /// may call it for tokens sent to the fund directly.
    function park() external;

    /// @notice Called by the core only, inside a liquidation's waterfall, once per bad-debt event: draws
    /// `drawn = min(wanted, maxDraw())` and records it against the rolling cap. The fund's cash is parked in the
    /// core (`IBallastCore.storeFund`), counted in `premiumOwed` with its premium, so the core covers the whole draw
    /// by lowering `premiumOwed`: no tokens move (`fromPremium == drawn`, kept in the return for clarity). The core
    /// passes its `premiumOwed` so the fund need not call back for it; the caps are taken on it (the fund holds no
    /// idle cash: tokens sent to it directly count once parked, `park()`). Cannot be paused. Named so that its
    /// selector is the second the fund's dispatcher tests (issue 15: about 1,000 gas per draw).
    /// @param wanted What the waterfall still has to cover after reserves.
    /// @param premiumOwed What the core holds for this fund before the draw (parked cash and premium).
    /// @return drawn Total drawn for this event (<= wanted, <= maxDrawPerEvent x premiumOwed).
    /// @return fromPremium The part of `drawn` the core covers by lowering what it holds for the fund: all of it.
    function coverLimited(uint256 wanted, uint256 premiumOwed) external returns (uint256 drawn, uint256 fromPremium);
}
