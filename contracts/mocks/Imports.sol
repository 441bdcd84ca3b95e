// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// Test-only: makes Chainlink's reference mock feed available to tests and local deployments.
import {MockV3Aggregator} from "@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol";
