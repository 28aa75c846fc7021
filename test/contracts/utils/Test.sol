// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Vm} from "./Vm.sol";

/// @title Test
/// @notice The hand-written stand-in for forge-std's `Test` that Hardhat 3's runner needs offline: the cheatcode
/// handle, `bound`, and the target lists the invariant fuzzer reads (`targetContracts()`, `targetSelectors()`).
/// The runner treats any deployable contract with a `test…` or `invariant…` function as a suite, calls `setUp()`
/// before each test, and `afterInvariant()` once at the end of each invariant run.
abstract contract Test {
    /// @dev Same layout as forge-std's StdInvariant.FuzzSelector; the runner decodes it by ABI.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    Vm internal constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    address[] private _targetContracts;
    FuzzSelector[] private _targetSelectors;

    /// @notice Contracts the invariant fuzzer calls (empty: every contract deployed in `setUp`).
    function targetContracts() public view returns (address[] memory) {
        return _targetContracts;
    }

    /// @notice Functions the invariant fuzzer calls, per target contract (empty: all of them).
    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetSelectors;
    }

    function targetContract(address target) internal {
        _targetContracts.push(target);
    }

    function targetSelector(FuzzSelector memory selectors) internal {
        _targetSelectors.push(selectors);
    }

    /// @dev Maps `x` into [min, max] (inclusive) like forge-std's `bound`: values already inside stay, the four
    /// smallest and largest inputs map onto the edges, everything else wraps, so edge cases stay likely.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min;
        if (size == type(uint256).max) return x;
        ++size;
        if (x <= 3 && size > x) return min + x;
        if (x >= type(uint256).max - 3 && size > type(uint256).max - x) return max - (type(uint256).max - x);
        if (x > max) {
            uint256 rem = (x - max) % size;
            return rem == 0 ? max : min + rem - 1;
        }
        uint256 remBelow = (min - x) % size;
        return remBelow == 0 ? min : max - remBelow + 1;
    }

    /// @dev Deploys a project contract from its artifact. Test contracts deploy through this rather than `new`: with
    /// viaIR, every `new X` makes solc re-optimize X inside each test contract, which multiplies compile time.
    function deployCode(string memory artifact, bytes memory args) internal returns (address deployed) {
        bytes memory revertData;
        (deployed, revertData) = tryDeployCode(artifact, args);
        require(deployed != address(0), string.concat("deployCode failed: ", artifact));
    }

    /// @dev `deployCode` that returns the constructor's revert data instead of reverting.
    function tryDeployCode(
        string memory artifact,
        bytes memory args
    ) internal returns (address deployed, bytes memory revertData) {
        bytes memory code = bytes.concat(vm.getCode(artifact), args);
        assembly ("memory-safe") {
            deployed := create(0, add(code, 0x20), mload(code))
            if iszero(deployed) {
                revertData := mload(0x40)
                mstore(revertData, returndatasize())
                returndatacopy(add(revertData, 0x20), 0, returndatasize())
                mstore(0x40, add(add(revertData, 0x20), returndatasize()))
            }
        }
    }

    /// @dev A deterministic labelled address, like forge-std's `makeAddr`.
    function makeAddr(string memory name) internal returns (address account) {
        account = address(uint160(uint256(keccak256(bytes(name)))));
        vm.label(account, name);
    }
}
