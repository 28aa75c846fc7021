// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @title RejectingReceiver
/// @notice A seller or buyer whose `receive()` reverts while `accepting` is off, so every ETH push to it fails.
/// Accepts vouchers. Test-only (Akutar 2022: one reverting bidder locked $34M).
contract RejectingReceiver is IERC721Receiver {
    /// @notice Whether `receive()` takes ETH.
    bool public accepting;

    /// @notice Thrown by `receive()` while not accepting.
    error EthRefused();

    receive() external payable {
        if (!accepting) revert EthRefused();
    }

    /// @notice Turns ETH acceptance on or off.
    function setAccepting(bool accepting_) external {
        accepting = accepting_;
    }

    /// @notice Makes any call as this contract; bubbles the callee's revert data.
    function act(address to, uint256 value, bytes calldata data) external payable returns (bytes memory) {
        return Address.functionCallWithValue(to, data, value);
    }

    /// @inheritdoc IERC721Receiver
    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC721Receiver.onERC721Received.selector;
    }
}
