// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {ITokenHooks} from "./ITokenHooks.sol";
import {Reenterer} from "./Reenterer.sol";

/// @title ReentrantBuyer
/// @notice A buyer that re-enters the exchange from `onERC721Received` (when a voucher reaches it) and from
/// `ReentrantToken`'s sender hook (while the exchange pulls its payment). `voucherHooks` counts how often a voucher
/// transfer handed it control. Accepts ETH quietly. Test-only (NFTTrader 2023, Omni 2022).
contract ReentrantBuyer is Reenterer, IERC721Receiver, ITokenHooks {
    /// @notice How many times `onERC721Received` ran.
    uint256 public voucherHooks;

    constructor(address target) Reenterer(target) {}

    receive() external payable {}

    /// @inheritdoc IERC721Receiver
    function onERC721Received(address, address, uint256, bytes calldata) external returns (bytes4) {
        ++voucherHooks;
        _reenter();
        return IERC721Receiver.onERC721Received.selector;
    }

    /// @inheritdoc ITokenHooks
    function tokensToSend(address, address, uint256) external {
        _reenter();
    }

    /// @inheritdoc ITokenHooks
    function tokensReceived(address, address, uint256) external {
        _reenter();
    }
}
