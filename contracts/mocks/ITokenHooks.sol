// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ITokenHooks
/// @notice ERC-777-style transfer hooks that `ReentrantToken` calls on accounts that registered for them: the sender
/// before its balance moves, the recipient after. Test-only.
interface ITokenHooks {
    /// @notice Called on the sender before `amount` leaves it.
    function tokensToSend(address from, address to, uint256 amount) external;

    /// @notice Called on the recipient after `amount` reached it.
    function tokensReceived(address from, address to, uint256 amount) external;
}
