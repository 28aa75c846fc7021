// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @title GasBurner
/// @notice A seller or buyer whose `receive()` spins until it runs out of gas, to grief whoever pays it. Accepts
/// vouchers. Test-only (Akutar 2022; the King of the Ether gas griefing).
contract GasBurner is IERC721Receiver {
    /// @notice Written in the loop so no optimizer can drop it.
    uint256 public spins;

    receive() external payable {
        while (gasleft() > 0) {
            ++spins;
        }
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
