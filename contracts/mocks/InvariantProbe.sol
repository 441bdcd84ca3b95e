// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IBallastCore} from "../interfaces/IBallastCore.sol";

/// @notice The fund storage the invariant suite reads (InsuranceFund's public getters).
interface IProbeFund {
    function totalSupply() external view returns (uint256);
    function balanceOf(address account) external view returns (uint256);
    function cooldowns(address staker) external view returns (uint192 shares, uint64 start);
    function bucketIndex() external view returns (uint32);
    function currentBucket() external view returns (uint112);
    function previousBucket() external view returns (uint112);
}

/// @notice Test-only batch reader for the invariant suite: every time-independent figure of the given markets,
/// positions, token balances and insurance funds in one call (one round trip per fuzzing step).
contract InvariantProbe {
    /// @param core The core.
    /// @param ids Markets to read.
    /// @param users Positions to read in every market.
    /// @param tokens Tokens whose balances are read.
    /// @param holders Holders of every token.
    /// @param funds Insurance funds (address(0) entries are skipped as zeros).
    /// @return out A flat array; the layout is decoded by test/invariant/model.ts.
    function read(
        IBallastCore core,
        uint256[] calldata ids,
        address[] calldata users,
        address[] calldata tokens,
        address[] calldata holders,
        address[] calldata funds
    ) external view returns (uint256[] memory out) {
        out = new uint256[](_size(core, ids, users.length, tokens.length, holders.length, funds.length));
        uint256 k;
        for (uint256 i; i < ids.length; ++i) k = _market(core, ids[i], users, out, k);
        for (uint256 t; t < tokens.length; ++t) {
            out[k++] = IERC20(tokens[t]).totalSupply();
            for (uint256 h; h < holders.length; ++h) out[k++] = IERC20(tokens[t]).balanceOf(holders[h]);
        }
        for (uint256 f; f < funds.length; ++f) k = _fund(IProbeFund(funds[f]), users, out, k);
    }

    function _size(
        IBallastCore core,
        uint256[] calldata ids,
        uint256 nUsers,
        uint256 nTokens,
        uint256 nHolders,
        uint256 nFunds
    ) internal view returns (uint256 n) {
        for (uint256 i; i < ids.length; ++i) {
            uint256 cc = core.config(ids[i]).collateralCount;
            n += 9 + 13 + cc * 7 + nUsers * (3 + cc);
        }
        n += nTokens * (1 + nHolders) + nFunds * (4 + 3 * nUsers);
    }

    function _market(
        IBallastCore core,
        uint256 id,
        address[] calldata users,
        uint256[] memory out,
        uint256 k
    ) internal view returns (uint256) {
        IBallastCore.Market memory m = core.market(id);
        out[k++] = m.totalSupplyAssets;
        out[k++] = m.totalSupplyShares;
        out[k++] = m.totalBorrowAssets;
        out[k++] = m.totalBorrowShares;
        out[k++] = m.reserves;
        out[k++] = m.premiumOwed;
        out[k++] = m.pendingShortfall;
        out[k++] = m.lastUpdate;
        out[k++] = m.liquidationGraceUntil;
        IBallastCore.MarketConfig memory c = core.config(id);
        out[k++] = c.paused;
        out[k++] = c.supplyCap;
        out[k++] = c.borrowCap;
        out[k++] = c.minBorrow;
        out[k++] = c.minLeftover;
        out[k++] = c.reserveFactor;
        out[k++] = c.insurancePremiumFactor;
        out[k++] = c.closeFactorHfThreshold;
        out[k++] = c.protocolBonusShare;
        out[k++] = c.liquidationGracePeriod;
        out[k++] = c.rateModel.slope1;
        out[k++] = c.rateModel.slope2;
        // The accrual's 32-bit cuts equal the WAD factors / 1e9 (the premium cut 0 until a fund is set): 1 if so.
        uint256 premium = address(c.insuranceFund) == address(0) ? 0 : c.insurancePremiumFactor;
        IBallastCore.Market memory mk = core.market(id);
        out[k++] = uint256(mk.reserveCut) * 1e9 == c.reserveFactor && uint256(mk.premiumCut) * 1e9 == premium ? 1 : 0;
        uint256 cc = c.collateralCount;
        for (uint256 j; j < cc; ++j) {
            IBallastCore.Collateral memory col = core.collateral(id, j);
            out[k++] = col.totalSupplied;
            out[k++] = col.protocolBalance;
            out[k++] = col.ltv;
            out[k++] = col.liquidationThreshold;
            out[k++] = col.liquidationBonus;
            out[k++] = col.supplyCap;
            // The health check's threshold copy equals the WAD threshold / 1e9: 1 if so.
            out[k++] = uint256(col.liquidationThresholdE9) * 1e9 == col.liquidationThreshold ? 1 : 0;
        }
        return _positions(core, id, cc, users, out, k);
    }

    function _positions(
        IBallastCore core,
        uint256 id,
        uint256 cc,
        address[] calldata users,
        uint256[] memory out,
        uint256 k
    ) internal view returns (uint256) {
        for (uint256 u; u < users.length; ++u) {
            (uint256 s, uint256 b, uint256 sf, uint256[8] memory cols) = core.position(id, users[u]);
            out[k++] = s;
            out[k++] = b;
            out[k++] = sf;
            for (uint256 j; j < cc; ++j) out[k++] = cols[j];
        }
        return k;
    }

    function _fund(
        IProbeFund f,
        address[] calldata users,
        uint256[] memory out,
        uint256 k
    ) internal view returns (uint256) {
        if (address(f) == address(0)) return k + 4 + 3 * users.length;
        out[k++] = f.totalSupply();
        out[k++] = f.bucketIndex();
        out[k++] = f.currentBucket();
        out[k++] = f.previousBucket();
        for (uint256 u; u < users.length; ++u) {
            out[k++] = f.balanceOf(users[u]);
            (uint256 cooling, uint256 start) = f.cooldowns(users[u]);
            out[k++] = cooling;
            out[k++] = start;
        }
        return k;
    }
}
