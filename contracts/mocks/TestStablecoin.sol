// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title TestStablecoin
/// @notice A 6-decimal test stablecoin for local and test chains ("Kaquan Test USD" kUSD, "Kaquan Test CNY" kCNY),
/// with an open faucet. Refuses to deploy anywhere else, so it can never pose as real money.
contract TestStablecoin is ERC20 {
    /// @notice Most one faucet call hands out: 1,000,000 tokens.
    uint256 public constant FAUCET_LIMIT = 1_000_000e6;

    /// @notice Thrown when deployed on a chain that is not a local or public test chain.
    error NotATestChain(uint256 chainId);
    /// @notice Thrown when asking the faucet for more than `FAUCET_LIMIT`.
    error FaucetLimit(uint256 requested, uint256 limit);

    /// @notice Emitted when the faucet mints.
    event FaucetDrip(address indexed to, uint256 amount);

    constructor(string memory name_, string memory symbol_) ERC20(name_, symbol_) {
        // Hardhat / anvil, Sepolia, Base Sepolia.
        if (block.chainid != 31337 && block.chainid != 11155111 && block.chainid != 84532) {
            revert NotATestChain(block.chainid);
        }
    }

    /// @notice Mints `amount` (at most `FAUCET_LIMIT`) to `to`.
    function faucet(address to, uint256 amount) external {
        if (amount > FAUCET_LIMIT) revert FaucetLimit(amount, FAUCET_LIMIT);
        _mint(to, amount);
        emit FaucetDrip(to, amount);
    }

    /// @inheritdoc ERC20
    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
