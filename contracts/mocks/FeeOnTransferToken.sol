// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FeeOnTransferToken
/// @notice An 18-decimal ERC-20 that burns a fee (1% unless changed) of every transfer between two accounts, so the
/// recipient gets less than the amount asked (STA, PAXG style). Anyone can change the fee, like USDT's dormant fee
/// switch (`setParams`) that its owner can turn on at any time: a token that moved exact amounts at purchase may not by
/// the time a dispute bond is pulled. Open mint. Test-only (Balancer STA pool drain 2020).
contract FeeOnTransferToken is ERC20 {
    /// @notice The fee burned from every transfer, in bps of the amount.
    uint256 public feeBps = 100;

    constructor() ERC20("Fee Token", "FEE") {}

    /// @notice Mints `amount` to `to`.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Turns the transfer fee to `bps` (0 turns it off).
    function setFeeBps(uint256 bps) external {
        feeBps = bps;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) {
            super._update(from, to, value);
            return;
        }
        uint256 fee = (value * feeBps) / 10_000;
        super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}
