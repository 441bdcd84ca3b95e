// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

import {IPriceAdapter} from "../interfaces/IPriceAdapter.sol";
import {ILiquidationSwapper} from "../periphery/FlashLiquidator.sol";

/// @title MockSwapper
/// @notice TEST VENUE ONLY: swaps at the protocol's own oracle prices minus a fee, out of an inventory funded
/// by its owner. No slippage, no depth: it stands in for a DEX in crash replays. Never deploy it anywhere real.
contract MockSwapper is ILiquidationSwapper, Ownable {
    using SafeERC20 for IERC20;

    uint256 internal constant WAD = 1e18;

    /// @notice Fee kept on each swap (WAD).
    uint256 public fee;
    /// @notice Price source per token (USD per base unit x 1e36).
    mapping(address token => IPriceAdapter) public adapterOf;

    /// @notice A swap happened.
    event Swapped(address indexed tokenIn, address indexed tokenOut, uint256 amountIn, uint256 amountOut);

    /// @notice The token has no price source.
    error UnknownToken(address token);
    /// @notice The output is below the caller's minimum.
    error InsufficientOutput(uint256 amountOut, uint256 minOut);
    /// @notice The inventory cannot pay the output.
    error InsufficientInventory(address token, uint256 available, uint256 needed);
    /// @notice The fee is above 100%.
    error FeeTooHigh(uint256 fee);

    /// @param owner_ Sets prices sources and the fee.
    /// @param fee_ Fee kept on each swap (WAD).
    constructor(address owner_, uint256 fee_) Ownable(owner_) {
        if (fee_ > WAD) revert FeeTooHigh(fee_);
        fee = fee_;
    }

    /// @notice Sets the price source of `token` (owner).
    function setAdapter(address token, IPriceAdapter adapter) external onlyOwner {
        adapterOf[token] = adapter;
    }

    /// @notice Sets the fee (owner).
    function setFee(uint256 fee_) external onlyOwner {
        if (fee_ > WAD) revert FeeTooHigh(fee_);
        fee = fee_;
    }

    /// @notice What `swap` would pay: amountIn x priceIn / priceOut x (1 - fee), rounded down.
    function quote(address tokenIn, address tokenOut, uint256 amountIn) public view returns (uint256) {
        uint256 pIn = _price(tokenIn);
        uint256 pOut = _price(tokenOut);
        return (((amountIn * pIn) / pOut) * (WAD - fee)) / WAD;
    }

    /// @inheritdoc ILiquidationSwapper
    function swap(
        address tokenIn,
        address tokenOut,
        uint256 amountIn,
        uint256 minOut,
        address to
    ) external returns (uint256 amountOut) {
        amountOut = quote(tokenIn, tokenOut, amountIn);
        if (amountOut < minOut) revert InsufficientOutput(amountOut, minOut);
        uint256 available = IERC20(tokenOut).balanceOf(address(this));
        if (available < amountOut) revert InsufficientInventory(tokenOut, available, amountOut);
        IERC20(tokenIn).safeTransferFrom(msg.sender, address(this), amountIn);
        IERC20(tokenOut).safeTransfer(to, amountOut);
        emit Swapped(tokenIn, tokenOut, amountIn, amountOut);
    }

    function _price(address token) internal view returns (uint256) {
        IPriceAdapter a = adapterOf[token];
        if (address(a) == address(0)) revert UnknownToken(token);
        return a.price();
    }
}
