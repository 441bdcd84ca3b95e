// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IBallastCore} from "../interfaces/IBallastCore.sol";
import {IInsuranceFund} from "../interfaces/IInsuranceFund.sol";

interface IFeed {
    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80);
}

/// @notice Test-only batch reader for the economic-properties fuzzer (test/invariant/economics.test.ts): one
/// market, its insurance fund, the given accounts and tokens, and each account's shortfall estimate at the current
/// prices, in one round trip. Call it with eth_call only: the estimates come from `flagShortfall` (not a view).
contract EconomicsProbe {
    uint256 internal constant NO_PRICE = type(uint256).max;

    /// @return out Market (8): totalSupplyAssets, totalSupplyShares, totalBorrowAssets, totalBorrowShares, reserves,
    /// premiumOwed, pendingShortfall, uncoveredShortfall. Fund (7): grossAssets, totalAssets, totalSupply, maxDraw,
    /// drawnInWindow, maxDrawPerEvent, windowShare. Per account (5 + tokens + 1): supplyShares, borrowShares,
    /// shortfall, collateral 0, collateral 1, each token balance, fund shares' previewRedeem value; then fund shares.
    /// Then each feed's answer.
    /// Last, per borrower: the shortfall estimate now (0 if not short or no debt, NO_PRICE on any other revert).
    function read(
        IBallastCore core,
        uint256 id,
        address fund,
        address[] calldata accounts,
        address[] calldata tokens,
        address[] calldata feeds,
        address[] calldata borrowers
    ) external returns (uint256[] memory out) {
        out = new uint256[](15 + feeds.length + borrowers.length + accounts.length * (8 + tokens.length));
        uint256 k = _market(core, id, out);
        k = _fund(fund, out, k);
        for (uint256 i; i < accounts.length; ++i) k = _account(core, id, fund, accounts[i], tokens, out, k);
        for (uint256 i; i < feeds.length; ++i) {
            (, int256 answer, , , ) = IFeed(feeds[i]).latestRoundData();
            out[k++] = uint256(answer);
        }
        for (uint256 i; i < borrowers.length; ++i) out[k++] = _estimate(core, id, borrowers[i]);
    }

    function _market(IBallastCore core, uint256 id, uint256[] memory out) internal view returns (uint256 k) {
        IBallastCore.Market memory m = core.market(id);
        out[0] = m.totalSupplyAssets;
        out[1] = m.totalSupplyShares;
        out[2] = m.totalBorrowAssets;
        out[3] = m.totalBorrowShares;
        out[4] = m.reserves;
        out[5] = m.premiumOwed;
        out[6] = m.pendingShortfall;
        out[7] = core.uncoveredShortfall(id);
        return 8;
    }

    function _fund(address fund, uint256[] memory out, uint256 k) internal view returns (uint256) {
        IInsuranceFund f = IInsuranceFund(fund);
        out[k++] = f.grossAssets();
        out[k++] = IERC4626(fund).totalAssets();
        out[k++] = IERC20(fund).totalSupply();
        out[k++] = f.maxDraw();
        out[k++] = f.drawnInWindow();
        out[k++] = f.maxDrawPerEvent();
        out[k++] = f.windowShare();
        return k;
    }

    function _account(
        IBallastCore core,
        uint256 id,
        address fund,
        address a,
        address[] calldata tokens,
        uint256[] memory out,
        uint256 k
    ) internal view returns (uint256) {
        (uint256 s, uint256 b, uint256 f, uint256[8] memory c) = core.position(id, a);
        out[k++] = s;
        out[k++] = b;
        out[k++] = f;
        out[k++] = c[0];
        out[k++] = c[1];
        for (uint256 t; t < tokens.length; ++t) out[k++] = IERC20(tokens[t]).balanceOf(a);
        uint256 shares = IERC20(fund).balanceOf(a);
        out[k++] = IERC4626(fund).previewRedeem(shares);
        out[k++] = shares;
        return k;
    }

    function _estimate(IBallastCore core, uint256 id, address a) internal returns (uint256) {
        try core.flagShortfall(id, a) returns (uint256 e) {
            return e;
        } catch (bytes memory reason) {
            bytes4 sel = bytes4(reason);
            if (sel == IBallastCore.NotShort.selector || sel == IBallastCore.NoDebt.selector) return 0;
            return NO_PRICE;
        }
    }
}
