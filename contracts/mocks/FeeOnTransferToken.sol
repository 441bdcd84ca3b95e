// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Burns `feeBps` (1% by default) of every transfer: the recipient gets less than `amount`. The fee can be
/// switched, like a token whose issuer turns on a dormant fee (USDT has one). Tests only.
contract FeeOnTransferToken is ERC20 {
    uint256 public feeBps = 100;

    constructor() ERC20("Fee Token", "FEE") {}

    function setFeeBps(uint256 bps) external {
        feeBps = bps;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 fee = (value * feeBps) / 10_000;
            super._update(from, address(0), fee);
            super._update(from, to, value - fee);
        } else {
            super._update(from, to, value);
        }
    }
}
