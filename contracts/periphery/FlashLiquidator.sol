// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable2Step, Ownable} from "@openzeppelin/contracts/access/Ownable2Step.sol";

import {IBallastCore} from "../interfaces/IBallastCore.sol";
import {IBallastLiquidateCallback} from "../interfaces/IBallastCallbacks.sol";

/// @title ILiquidationSwapper
/// @notice A venue that turns seized collateral into the loan asset (a DEX router adapter in production, a test
/// venue in tests).
interface ILiquidationSwapper {
    /// @notice Pulls `amountIn` of `tokenIn` from the caller and sends at least `minOut` of `tokenOut` to `to`.
    /// @return amountOut What `to` received.
    function swap(
        address tokenIn,
        address tokenOut,
        uint256 amountIn,
        uint256 minOut,
        address to
    ) external returns (uint256 amountOut);
}

/// @title FlashLiquidator
/// @notice Liquidates a Ballast position without inventory: the core sends the seized collateral first, the
/// callback swaps it into the loan asset, the core then pulls the repayment, and the profit goes to the owner.
/// @dev Only the owner (a keeper) may start a liquidation; the callback only runs inside one it started.
contract FlashLiquidator is IBallastLiquidateCallback, Ownable2Step {
    using SafeERC20 for IERC20;

    /// @notice The core this liquidator works with.
    IBallastCore public immutable CORE;

    /// @notice A liquidation paid `profit` loan assets to the owner.
    event FlashLiquidated(
        uint256 indexed marketId,
        address indexed borrower,
        uint256 index,
        uint256 repaid,
        uint256 seized,
        uint256 profit
    );

    /// @notice The callback was called by someone other than the core, or outside a liquidation this contract started.
    error UnexpectedCallback(address caller);
    /// @notice The liquidation paid less than the owner's minimum.
    error ProfitTooLow(uint256 profit, uint256 minProfit);

    /// @dev Set for the duration of `liquidate` (transient: cleared at the end of the transaction anyway).
    bool private transient _active;

    /// @param core The Ballast core.
    /// @param owner_ The keeper allowed to liquidate and sweep.
    constructor(IBallastCore core, address owner_) Ownable(owner_) {
        CORE = core;
    }

    /// @notice Liquidates `borrower` in market `id`, seizing collateral `index`, selling it through `swapper`.
    /// @param id Market id.
    /// @param borrower Position to liquidate.
    /// @param index Collateral to seize.
    /// @param repayMax Upper bound of loan assets to repay (type(uint256).max: the most the core allows).
    /// @param swapper Venue that sells the collateral for the loan asset.
    /// @param minProfit Reverts unless the owner receives at least this many loan assets.
    /// @return repaid Loan assets repaid.
    /// @return seized Collateral seized (protocol share included).
    /// @return profit Loan assets sent to the owner.
    function liquidate(
        uint256 id,
        address borrower,
        uint256 index,
        uint256 repayMax,
        ILiquidationSwapper swapper,
        uint256 minProfit
    ) external onlyOwner returns (uint256 repaid, uint256 seized, uint256 profit) {
        IERC20 loan = IERC20(CORE.config(id).loanToken);
        address colToken = CORE.collateral(id, index).token;
        uint256 before = loan.balanceOf(address(this));
        _active = true;
        (seized, repaid) = CORE.liquidate(
            id,
            borrower,
            index,
            repayMax,
            address(this),
            abi.encode(swapper, colToken, address(loan))
        );
        _active = false;
        profit = loan.balanceOf(address(this)) - before;
        if (profit < minProfit) revert ProfitTooLow(profit, minProfit);
        emit FlashLiquidated(id, borrower, index, repaid, seized, profit);
        if (profit != 0) loan.safeTransfer(msg.sender, profit);
    }

    /// @inheritdoc IBallastLiquidateCallback
    function onBallastLiquidate(uint256, uint256 repaidAssets, uint256 seizedAssets, bytes calldata data) external {
        if (msg.sender != address(CORE) || !_active) revert UnexpectedCallback(msg.sender);
        (ILiquidationSwapper swapper, address colToken, address loanToken) = abi.decode(
            data,
            (ILiquidationSwapper, address, address)
        );
        if (seizedAssets != 0) {
            IERC20(colToken).forceApprove(address(swapper), seizedAssets);
            swapper.swap(colToken, loanToken, seizedAssets, repaidAssets, address(this));
        }
        IERC20(loanToken).forceApprove(address(CORE), repaidAssets);
    }

    /// @notice Sends any token held here to `to` (owner).
    /// @param token Token to sweep.
    /// @param to Receiver.
    function sweep(IERC20 token, address to) external onlyOwner {
        token.safeTransfer(to, token.balanceOf(address(this)));
    }
}
