// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title BlocklistToken
/// @notice A 6-decimal USDC-style ERC-20 whose admin can block an account: any transfer from or to it reverts. Open
/// mint. Test-only (USDC/USDT blocklists freezing a recipient and with it any contract that must pay it).
contract BlocklistToken is ERC20 {
    mapping(address account => bool) public blocked;

    /// @notice Thrown on any transfer from or to a blocked account.
    error Blocklisted(address account);

    constructor() ERC20("Blocklist USD", "bUSD") {}

    /// @notice Mints `amount` to `to`.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Blocks or unblocks `account` (the real token restricts this to its admin).
    function setBlocked(address account, bool isBlocked) external {
        blocked[account] = isBlocked;
    }

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (blocked[from]) revert Blocklisted(from);
        if (blocked[to]) revert Blocklisted(to);
        super._update(from, to, value);
    }
}
