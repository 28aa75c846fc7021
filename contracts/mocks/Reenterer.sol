// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @title Reenterer
/// @notice Test-only base of Kaquan's attack contracts. A test arms it with one call into the exchange (or, with
/// `armAt`, into another contract such as the voucher token); the next time one of the subclass's hooks runs (ETH
/// `receive`, `onERC721Received`, a token hook), it makes that call from inside the exchange's own call, reports the
/// outcome in `ReentryAttempted`, and then either accepts what it was sent (`Mode.Accept`) or reverts with the
/// re-entry's revert data (`Mode.Bubble`).
abstract contract Reenterer {
    enum Mode {
        Accept,
        Bubble
    }

    /// @notice The contract the armed call goes to (the exchange).
    address public immutable TARGET;

    /// @dev `_target`, `_armed` and `_mode` share a slot: inside a 30,000-gas ETH push every cold slot counts.
    address private _target;
    bool private _armed;
    Mode private _mode;
    bytes private _reentry;

    /// @notice Emitted by every armed hook with the re-entrant call's selector, outcome and return or revert data.
    event ReentryAttempted(bytes4 indexed selector, bool success, bytes returnData);

    constructor(address target) {
        TARGET = target;
    }

    /// @notice Arms the next hook to call `TARGET` with `reentry`, then to accept or bubble.
    function arm(bytes calldata reentry, Mode mode) external {
        _arm(TARGET, reentry, mode);
    }

    /// @notice Arms the next hook to call `target` (instead of `TARGET`) with `reentry`, then to accept or bubble.
    function armAt(address target, bytes calldata reentry, Mode mode) external {
        _arm(target, reentry, mode);
    }

    /// @notice Makes any call as this contract (so TS tests can drive it); bubbles the callee's revert data.
    function act(address to, uint256 value, bytes calldata data) external payable returns (bytes memory) {
        return Address.functionCallWithValue(to, data, value);
    }

    function _arm(address target, bytes calldata reentry, Mode mode) private {
        _reentry = reentry;
        _target = target;
        _mode = mode;
        _armed = true;
    }

    /// @dev Fires once per arming, so a hook that runs twice cannot loop.
    function _reenter() internal {
        if (!_armed) return;
        _armed = false;
        bytes memory data = _reentry;
        // The attack itself: a raw call, so its failure is recorded instead of reverting this hook.
        // solhint-disable-next-line avoid-low-level-calls
        (bool success, bytes memory returnData) = _target.call(data);
        emit ReentryAttempted(bytes4(data), success, returnData);
        if (!success && _mode == Mode.Bubble) Address.verifyCallResult(false, returnData);
    }
}
