// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice A token with a transfer hook (ERC-777 / callAfterTransfer style): on every transfer it calls a
/// configured target with configured data, as an attacker's receiver hook would. Tests only.
contract HookToken is ERC20 {
    address public hookTarget;
    bytes public hookData;
    bool public hookArmed;
    bool public lastHookSucceeded;
    bytes public lastHookReturn;

    constructor() ERC20("Hook Token", "HOOK") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function arm(address target, bytes calldata data) external {
        hookTarget = target;
        hookData = data;
        hookArmed = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (hookArmed && from != address(0) && to != address(0)) {
            hookArmed = false; // once
            (lastHookSucceeded, lastHookReturn) = hookTarget.call(hookData);
        }
    }
}
