// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {ITokenHooks} from "./ITokenHooks.sol";
import {Reenterer} from "./Reenterer.sol";

/// @title ReentrantReceiver
/// @notice A seller, distributor or refunded buyer that re-enters the exchange when it is paid: from ETH `receive()`
/// (a settlement or refund push, or a `claim`) and from `ReentrantToken`'s hooks. Accepts vouchers quietly.
/// Test-only (NFTTrader 2023, Omni 2022).
contract ReentrantReceiver is Reenterer, IERC721Receiver, ITokenHooks {
    constructor(address target) Reenterer(target) {}

    receive() external payable {
        _reenter();
    }

    /// @inheritdoc ITokenHooks
    function tokensReceived(address, address, uint256) external {
        _reenter();
    }

    /// @inheritdoc ITokenHooks
    function tokensToSend(address, address, uint256) external {
        _reenter();
    }

    /// @inheritdoc IERC721Receiver
    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC721Receiver.onERC721Received.selector;
    }
}
