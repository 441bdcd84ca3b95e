// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IBallastCore} from "../interfaces/IBallastCore.sol";

/// @title ScenarioBorrower
/// @notice TEST ONLY: one borrower of a crash replay. It holds its position and whatever it borrowed.
contract ScenarioBorrower {
    using SafeERC20 for IERC20;

    /// @notice The caller is not the factory that created this borrower.
    error NotFactory();

    address internal immutable FACTORY;

    constructor() {
        FACTORY = msg.sender;
    }

    /// @notice Supplies the collateral this contract holds and borrows `borrowAssets` to itself.
    function open(
        IBallastCore core,
        uint256 id,
        address[] calldata tokens,
        uint256[] calldata amounts,
        uint256 borrowAssets
    ) external {
        if (msg.sender != FACTORY) revert NotFactory();
        for (uint256 i; i < tokens.length; ++i) {
            if (amounts[i] == 0) continue;
            IERC20(tokens[i]).forceApprove(address(core), amounts[i]);
            core.supplyCollateral(id, i, amounts[i], address(this));
        }
        if (borrowAssets != 0) core.borrow(id, borrowAssets, 0, address(this), address(this));
    }
}

/// @title ScenarioBorrowers
/// @notice TEST ONLY: seeds many borrowers of a crash replay in one transaction. The caller must hold and approve
/// the collateral; each borrower is a fresh contract, so each is its own position.
contract ScenarioBorrowers {
    using SafeERC20 for IERC20;

    /// @notice One borrower: collateral amount per collateral index (0 = none) and the loan assets borrowed.
    struct Seed {
        uint256[] amounts;
        uint256 borrowAssets;
    }

    /// @notice A borrower was created and opened its position.
    event Seeded(address indexed borrower, uint256 borrowAssets);

    /// @notice Creates and opens one borrower per seed.
    /// @param core The core.
    /// @param id Market id.
    /// @param tokens Collateral tokens in collateral-index order.
    /// @param seeds The borrowers.
    /// @return borrowers Their addresses.
    function seed(
        IBallastCore core,
        uint256 id,
        address[] calldata tokens,
        Seed[] calldata seeds
    ) external returns (address[] memory borrowers) {
        borrowers = new address[](seeds.length);
        for (uint256 k; k < seeds.length; ++k) {
            ScenarioBorrower b = new ScenarioBorrower();
            for (uint256 i; i < tokens.length; ++i) {
                uint256 amount = seeds[k].amounts[i];
                if (amount != 0) IERC20(tokens[i]).safeTransferFrom(msg.sender, address(b), amount);
            }
            b.open(core, id, tokens, seeds[k].amounts, seeds[k].borrowAssets);
            borrowers[k] = address(b);
            emit Seeded(address(b), seeds[k].borrowAssets);
        }
    }
}
