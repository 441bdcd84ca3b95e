// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IBallastCore} from "../interfaces/IBallastCore.sol";

/// @title PermitRouter
/// @notice Supply or repay in one transaction with an EIP-2612 permit instead of a prior `approve`: the wallet signs a
/// permit for this router (spender) over the market's loan token, and the router pulls the assets from the caller,
/// supplies or repays on the core for `onBehalf`, and keeps nothing (a repay's unused assets go back to the caller).
/// Periphery, because the core's bytecode has no room; it holds no role and no balance between transactions.
/// @dev Assets are only ever pulled from `msg.sender`, whose own signature the permit must carry, so a permit seen in
/// the mempool is of no use to anyone else. A permit front-run (submitted to the token by someone else first) leaves
/// its allowance in place: the call then goes on with that allowance.
contract PermitRouter {
    using SafeERC20 for IERC20;

    /// @notice An EIP-2612 permit of the caller for this router: `value` of the loan token until `deadline`.
    struct Permit {
        uint256 value;
        uint256 deadline;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// @notice The permit reverted (bad signature, expired, used nonce) and the allowance it was for is not there.
    error PermitFailed(address token, address owner, uint256 allowance, uint256 needed);

    /// @notice The core this router supplies to and repays on.
    IBallastCore public immutable core;

    constructor(IBallastCore core_) {
        if (address(core_) == address(0)) revert IBallastCore.ZeroAddress();
        core = core_;
    }

    /// @notice Supplies `assets` loan assets of market `id` for `onBehalf`, pulled from the caller with a permit.
    /// @return assetsSupplied Assets supplied (equal to `assets`).
    /// @return sharesMinted Supply shares credited to `onBehalf` (rounded down by the core).
    function supplyWithPermit(
        uint256 id,
        uint256 assets,
        address onBehalf,
        Permit calldata permit
    ) external returns (uint256 assetsSupplied, uint256 sharesMinted) {
        _pull(id, assets, permit);
        (assetsSupplied, sharesMinted) = core.supply(id, assets, 0, onBehalf);
    }

    /// @notice Repays debt of `onBehalf` in market `id` by `assets` or by `shares` (exactly one non-zero, as on the
    /// core; all of a position's shares repays it in full), pulling at most `maxAssets` from the caller with a permit
    /// and sending back what the repayment did not use.
    /// @return assetsRepaid Assets the core took (rounded up by the core when `shares` are given).
    /// @return sharesBurned Debt shares burned.
    function repayWithPermit(
        uint256 id,
        uint256 assets,
        uint256 shares,
        address onBehalf,
        uint256 maxAssets,
        Permit calldata permit
    ) external returns (uint256 assetsRepaid, uint256 sharesBurned) {
        IERC20 token = _pull(id, maxAssets, permit);
        (assetsRepaid, sharesBurned) = core.repay(id, assets, shares, onBehalf);
        if (maxAssets > assetsRepaid) token.safeTransfer(msg.sender, maxAssets - assetsRepaid);
        token.forceApprove(address(core), 0);
    }

    /// @dev Uses the permit (or an allowance already there), pulls `amount` from the caller, approves the core.
    function _pull(uint256 id, uint256 amount, Permit calldata p) internal returns (IERC20 token) {
        token = IERC20(core.config(id).loanToken);
        try IERC20Permit(address(token)).permit(msg.sender, address(this), p.value, p.deadline, p.v, p.r, p.s) {
            // allowance set
        } catch {
            uint256 allowance = token.allowance(msg.sender, address(this));
            if (allowance < amount) revert PermitFailed(address(token), msg.sender, allowance, amount);
        }
        token.safeTransferFrom(msg.sender, address(this), amount);
        token.forceApprove(address(core), amount);
    }
}
