// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable2Step, Ownable} from "@openzeppelin/contracts/access/Ownable2Step.sol";

import {ILiquidationSwapper} from "./FlashLiquidator.sol";

/// @notice The part of Uniswap v3's SwapRouter (v3-periphery 1.4.4) this swapper calls.
interface IUniswapV3SwapRouter {
    struct ExactInputSingleParams {
        address tokenIn;
        address tokenOut;
        uint24 fee;
        address recipient;
        uint256 deadline;
        uint256 amountIn;
        uint256 amountOutMinimum;
        uint160 sqrtPriceLimitX96;
    }

    function exactInputSingle(ExactInputSingleParams calldata params) external payable returns (uint256 amountOut);
}

/// @notice The part of Uniswap v3's factory (v3-core 1.0.1) this swapper reads.
interface IUniswapV3PoolFactory {
    function getPool(address tokenA, address tokenB, uint24 fee) external view returns (address pool);
}

/// @title UniswapV3Swapper
/// @notice The venue `FlashLiquidator` sells seized collateral on, on a real chain: an exact-input swap through
/// one named Uniswap v3 pool (the pair's fee tier set by the owner), paying at least the caller's minimum.
/// @dev Holds nothing between calls: it pulls `amountIn`, swaps it, and forwards every unit it received.
contract UniswapV3Swapper is ILiquidationSwapper, Ownable2Step {
    using SafeERC20 for IERC20;

    /// @notice Uniswap v3 SwapRouter the swaps go through.
    IUniswapV3SwapRouter public immutable ROUTER;
    /// @notice Uniswap v3 factory the pools are checked against.
    IUniswapV3PoolFactory public immutable FACTORY;

    /// @notice Fee tier (hundredths of a bip) of the pool used for a pair, both directions; 0 = no pool set.
    mapping(address tokenA => mapping(address tokenB => uint24 fee)) public feeOf;

    /// @notice The pool of `tokenA`/`tokenB` at fee tier `fee` is the one swaps go through.
    event PoolSet(address indexed tokenA, address indexed tokenB, uint24 fee, address pool);
    /// @notice A swap happened.
    event Swapped(address indexed tokenIn, address indexed tokenOut, uint24 fee, uint256 amountIn, uint256 amountOut);

    /// @notice The factory holds no pool for this pair and fee tier.
    error PoolNotFound(address tokenA, address tokenB, uint24 fee);
    /// @notice No pool was set for this pair.
    error NoPoolForPair(address tokenIn, address tokenOut);
    /// @notice The swap paid less than the caller's minimum.
    error InsufficientOutput(uint256 amountOut, uint256 minOut);
    /// @notice A zero address was given for the router or the factory.
    error ZeroAddress();

    /// @param router Uniswap v3 SwapRouter.
    /// @param factory Uniswap v3 factory (the router's own).
    /// @param owner_ Sets the pool of each pair.
    constructor(IUniswapV3SwapRouter router, IUniswapV3PoolFactory factory, address owner_) Ownable(owner_) {
        if (address(router) == address(0) || address(factory) == address(0)) revert ZeroAddress();
        ROUTER = router;
        FACTORY = factory;
    }

    /// @notice Routes swaps between `tokenA` and `tokenB` (both directions) through their pool at fee tier `fee`
    /// (owner). The pool must exist.
    function setPool(address tokenA, address tokenB, uint24 fee) external onlyOwner {
        address pool = FACTORY.getPool(tokenA, tokenB, fee);
        if (pool == address(0)) revert PoolNotFound(tokenA, tokenB, fee);
        feeOf[tokenA][tokenB] = fee;
        feeOf[tokenB][tokenA] = fee;
        emit PoolSet(tokenA, tokenB, fee, pool);
    }

    /// @inheritdoc ILiquidationSwapper
    function swap(
        address tokenIn,
        address tokenOut,
        uint256 amountIn,
        uint256 minOut,
        address to
    ) external returns (uint256 amountOut) {
        uint24 fee = feeOf[tokenIn][tokenOut];
        if (fee == 0) revert NoPoolForPair(tokenIn, tokenOut);
        IERC20(tokenIn).safeTransferFrom(msg.sender, address(this), amountIn);
        IERC20(tokenIn).forceApprove(address(ROUTER), amountIn);
        amountOut = ROUTER.exactInputSingle(
            IUniswapV3SwapRouter.ExactInputSingleParams({
                tokenIn: tokenIn,
                tokenOut: tokenOut,
                fee: fee,
                recipient: address(this),
                deadline: block.timestamp,
                amountIn: amountIn,
                amountOutMinimum: 0, // checked below, with a decodable error
                sqrtPriceLimitX96: 0
            })
        );
        if (amountOut < minOut) revert InsufficientOutput(amountOut, minOut);
        IERC20(tokenOut).safeTransfer(to, amountOut);
        emit Swapped(tokenIn, tokenOut, fee, amountIn, amountOut);
    }
}
