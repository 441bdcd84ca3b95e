// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Ownable2Step, Ownable} from "@openzeppelin/contracts/access/Ownable2Step.sol";

import {ILiquidationSwapper} from "./FlashLiquidator.sol";

/// @notice The part of a Uniswap v3 pool (v3-core 1.0.1) this swapper calls.
interface IUniswapV3PoolSwap {
    function swap(
        address recipient,
        bool zeroForOne,
        int256 amountSpecified,
        uint160 sqrtPriceLimitX96,
        bytes calldata data
    ) external returns (int256 amount0, int256 amount1);
}

/// @notice The part of Uniswap v3's factory (v3-core 1.0.1) this swapper reads.
interface IUniswapV3PoolFactory {
    function getPool(address tokenA, address tokenB, uint24 fee) external view returns (address pool);
}

/// @title UniswapV3Swapper
/// @notice The venue `FlashLiquidator` sells seized collateral on, on a real chain: an exact-input swap through
/// one named Uniswap v3 pool (the pair's fee tier chosen by the owner among the factory's pools), paying at least
/// the caller's minimum. It calls the pool directly (no router), so it works wherever the factory is deployed.
/// @dev Holds nothing between calls: it pulls `amountIn`, pays the pool in the swap callback, returns any input the
/// pool did not take, and forwards every unit of output.
contract UniswapV3Swapper is ILiquidationSwapper, Ownable2Step {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /// @dev TickMath.MIN_SQRT_RATIO + 1 and MAX_SQRT_RATIO - 1: no price limit.
    uint160 internal constant MIN_SQRT_LIMIT = 4295128740;
    uint160 internal constant MAX_SQRT_LIMIT = 1461446703485210103287273052203988822378723970341;

    /// @notice Uniswap v3 factory the pools come from.
    IUniswapV3PoolFactory public immutable FACTORY;

    /// @notice Pool used for a pair, both directions; zero = none set.
    mapping(address tokenA => mapping(address tokenB => address pool)) public poolOf;

    /// @dev The pool whose callback is expected (transient: only inside `swap`).
    address private transient _pool;

    /// @notice The pool of `tokenA`/`tokenB` at fee tier `fee` is the one swaps go through.
    event PoolSet(address indexed tokenA, address indexed tokenB, uint24 fee, address pool);
    /// @notice A swap happened.
    event Swapped(address indexed tokenIn, address indexed tokenOut, address pool, uint256 amountIn, uint256 amountOut);

    /// @notice The factory holds no pool for this pair and fee tier.
    error PoolNotFound(address tokenA, address tokenB, uint24 fee);
    /// @notice No pool was set for this pair.
    error NoPoolForPair(address tokenIn, address tokenOut);
    /// @notice The swap paid less than the caller's minimum.
    error InsufficientOutput(uint256 amountOut, uint256 minOut);
    /// @notice The swap callback came from somewhere other than the pool being swapped on.
    error UnexpectedCallback(address caller);
    /// @notice A zero address was given for the factory.
    error ZeroAddress();

    /// @param factory Uniswap v3 factory.
    /// @param owner_ Sets the pool of each pair.
    constructor(IUniswapV3PoolFactory factory, address owner_) Ownable(owner_) {
        if (address(factory) == address(0)) revert ZeroAddress();
        FACTORY = factory;
    }

    /// @notice Routes swaps between `tokenA` and `tokenB` (both directions) through their pool at fee tier `fee`
    /// (owner). The pool must exist.
    function setPool(address tokenA, address tokenB, uint24 fee) external onlyOwner {
        address pool = FACTORY.getPool(tokenA, tokenB, fee);
        if (pool == address(0)) revert PoolNotFound(tokenA, tokenB, fee);
        poolOf[tokenA][tokenB] = pool;
        poolOf[tokenB][tokenA] = pool;
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
        address pool = poolOf[tokenIn][tokenOut];
        if (pool == address(0)) revert NoPoolForPair(tokenIn, tokenOut);
        IERC20(tokenIn).safeTransferFrom(msg.sender, address(this), amountIn);
        bool zeroForOne = tokenIn < tokenOut;
        _pool = pool;
        (int256 amount0, int256 amount1) = IUniswapV3PoolSwap(pool).swap(
            address(this),
            zeroForOne,
            amountIn.toInt256(),
            zeroForOne ? MIN_SQRT_LIMIT : MAX_SQRT_LIMIT,
            abi.encode(tokenIn)
        );
        _pool = address(0);
        (int256 paid, int256 received) = zeroForOne ? (amount0, amount1) : (amount1, amount0);
        amountOut = uint256(-received);
        if (amountOut < minOut) revert InsufficientOutput(amountOut, minOut);
        uint256 unused = amountIn - uint256(paid);
        if (unused != 0) IERC20(tokenIn).safeTransfer(msg.sender, unused);
        IERC20(tokenOut).safeTransfer(to, amountOut);
        emit Swapped(tokenIn, tokenOut, pool, amountIn - unused, amountOut);
    }

    /// @notice Uniswap v3 swap callback: pays the pool what it is owed in the input token.
    function uniswapV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata data) external {
        if (msg.sender != _pool || _pool == address(0)) revert UnexpectedCallback(msg.sender);
        address tokenIn = abi.decode(data, (address));
        int256 owed = amount0Delta > 0 ? amount0Delta : amount1Delta;
        IERC20(tokenIn).safeTransfer(msg.sender, uint256(owed));
    }
}
