// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MathLib} from "./MathLib.sol";

/// @title DrawBoundsLib
/// @notice The least and the most an insurance fund will pay for a market's pending shortfall. The waterfall
/// realizes each flagged position as its own event: each draw is capped at `perEvent` of the fund's gross assets
/// then, and all draws in one window at what the window cap has left (`gross + drawn` stays constant within a
/// window, so each draw lowers the window cap left by exactly its amount). Shared by the fund, the lens and (in
/// TypeScript) the SDK.
library DrawBoundsLib {
    using MathLib for uint256;

    /// @notice The bounds of what the fund pays for `owed` (the pending shortfall after reserves) spread over
    /// `count` flagged positions.
    /// @param owed Pending shortfall after the market's reserves.
    /// @param count Number of flagged positions (one waterfall event each).
    /// @param gross The fund's drawable assets: what the core holds for it (parked cash + premium owed).
    /// @param maxDraw The fund's cap for one event now: min(perEvent x gross, window cap left), rounded down.
    /// @param perEvent Per-event cap (WAD share of gross assets).
    /// @param unbacked Premium owed beyond the market's cash (written off first when a borrower defaults).
    /// @return least min(owed, maxDraw): however the loss is split and whenever it is realized, at the current
    /// state the fund pays at least this (each draw or premium write-off x lowers both caps by at most x). Exits
    /// from the market and entries into the fund are priced with it.
    /// @return most min(owed, gross, count x perEvent x gross + unbacked): the window is not counted, since it may
    /// roll between realizations. Entries into the market and exits from the fund are priced with it.
    function bounds(
        uint256 owed,
        uint256 count,
        uint256 gross,
        uint256 maxDraw,
        uint256 perEvent,
        uint256 unbacked
    ) internal pure returns (uint256 least, uint256 most) {
        if (owed == 0) return (0, 0);
        least = owed.min(maxDraw);
        // count x perEvent x gross, rounded up (the most the fund may pay is the entrant's and the leaver's bound).
        uint256 events = (count == 0 ? 1 : count).min(type(uint64).max);
        most = owed.min(gross).min(gross.mulDivUp(perEvent * events, 1e18) + unbacked); // >= least
    }
}
