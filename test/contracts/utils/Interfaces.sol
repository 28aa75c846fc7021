// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IVoucherExchange} from "../../../contracts/interfaces/IVoucherExchange.sol";

/// @title IExchange
/// @notice VoucherExchange's full external surface (its interface plus Ownable2Step and the public constants), so tests
/// can hold the deployed exchange by interface and never import, and so recompile, the contract itself.
interface IExchange is IVoucherExchange {
    function owner() external view returns (address);
    function pendingOwner() external view returns (address);
    function transferOwnership(address newOwner) external;
    function acceptOwnership() external;
    function renounceOwnership() external;
    function MIN_PRICE_FLOOR() external view returns (uint256);
    function DEFAULT_ETH_MIN_PRICE() external view returns (uint96);
    function MAX_LEVEL_SHARES_BPS() external view returns (uint16);
    function MIN_FEE_BPS() external view returns (uint16);
    function MAX_FEE_BPS() external view returns (uint16);
    function MAX_LEVELS() external view returns (uint256);
    function PUSH_GAS() external view returns (uint256);
    function MIN_DISPUTE_BOND_BPS() external view returns (uint16);
    function MAX_DISPUTE_BOND_BPS() external view returns (uint16);
    function DEFAULT_DISPUTE_BOND_BPS() external view returns (uint16);
}

/// @title ITestStablecoin
/// @notice The 6-decimal test stablecoin with its faucet.
interface ITestStablecoin is IERC20 {
    function faucet(address to, uint256 amount) external;
    function decimals() external view returns (uint8);
}
