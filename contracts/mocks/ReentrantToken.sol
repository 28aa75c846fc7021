// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ITokenHooks} from "./ITokenHooks.sol";

/// @title ReentrantToken
/// @notice An 18-decimal ERC-20 with ERC-777-style hooks: an account that registered is called before tokens leave it
/// (`tokensToSend`) and after tokens reach it (`tokensReceived`), handing it control in the middle of the exchange's
/// transfers. Open mint. Test-only (the imBTC/Uniswap and Lendf.Me 2020 ERC-777 reentrancy).
contract ReentrantToken is ERC20 {
    struct Hooks {
        bool onSend;
        bool onReceive;
    }

    mapping(address account => Hooks) public hooks;

    constructor() ERC20("Reentrant Token", "HOOK") {}

    /// @notice Mints `amount` to `to`.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Registers the caller for the sender and recipient hooks (like an ERC-1820 registration).
    function registerHooks(bool onSend, bool onReceive) external {
        hooks[msg.sender] = Hooks(onSend, onReceive);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && hooks[from].onSend) ITokenHooks(from).tokensToSend(from, to, value);
        super._update(from, to, value);
        if (to != address(0) && hooks[to].onReceive) ITokenHooks(to).tokensReceived(from, to, value);
    }
}
