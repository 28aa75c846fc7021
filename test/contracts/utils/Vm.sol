// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Vm
/// @notice The part of the Foundry cheatcode interface that Kaquan's Solidity tests use. Hardhat 3's Solidity test
/// runner (EDR) answers these at 0x7109709ECfa91a80626fF3989D68f67F5b1DD12D; the signatures match forge-std's `Vm`, so
/// calls dispatch by selector. Nothing here is deployed, and forge-std is not needed.
interface Vm {
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    // Environment
    function warp(uint256 newTimestamp) external;
    function deal(address account, uint256 newBalance) external;
    function prank(address msgSender) external;
    function startPrank(address msgSender) external;
    function stopPrank() external;
    function label(address account, string calldata newLabel) external;
    function toString(uint256 value) external pure returns (string memory);
    function snapshotState() external returns (uint256 snapshotId);
    /// @dev Creation bytecode of a compiled contract, e.g. "VoucherExchange.sol:VoucherExchange" (Hardhat serves it
    /// from the build's artifacts; `deployCode` itself is not supported by Hardhat 3.17).
    function getCode(string calldata artifactPath) external view returns (bytes memory creationBytecode);
    function revertToState(uint256 snapshotId) external returns (bool success);

    // Expectations
    function expectEmit(address emitter) external;
    function expectRevert(bytes4 revertData) external;
    function expectRevert(bytes calldata revertData) external;
    function recordLogs() external;
    function getRecordedLogs() external returns (Log[] memory logs);

    // Assertions: each reverts with a formatted "left != right" message on failure.
    function assertTrue(bool condition, string calldata error) external pure;
    function assertFalse(bool condition, string calldata error) external pure;
    function assertEq(uint256 left, uint256 right, string calldata error) external pure;
    function assertEq(address left, address right, string calldata error) external pure;
    function assertEq(bool left, bool right, string calldata error) external pure;
    function assertEq(bytes32 left, bytes32 right, string calldata error) external pure;
    function assertEq(bytes calldata left, bytes calldata right, string calldata error) external pure;
    function assertEq(string calldata left, string calldata right, string calldata error) external pure;
    function assertLe(uint256 left, uint256 right, string calldata error) external pure;
    function assertGe(uint256 left, uint256 right, string calldata error) external pure;
    function assertLt(uint256 left, uint256 right, string calldata error) external pure;
    function assertGt(uint256 left, uint256 right, string calldata error) external pure;
}
