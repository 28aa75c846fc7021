// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IVoucherExchange} from "../../../contracts/interfaces/IVoucherExchange.sol";
import {ExchangeFixture} from "../utils/ExchangeFixture.sol";

/// @title Admin and arbiter power
/// @notice Guards against Ronin (Mar 2022, $625M: whoever held the admin keys could move everything) and rug pulls by
/// privileged "emergency withdraw" functions: no owner or arbiter call can sweep escrow or credits, the arbiter only
/// rules on disputed orders and only between their buyer and seller, and pause never blocks an exit.
contract AdminPowerTest is ExchangeFixture {
    uint256 private constant PRICE = 1 ether;
    uint256 private constant FEE = (PRICE * FEE_BPS) / 10_000;
    /// @dev The default 10% dispute bond the disputed order's buyer paid.
    uint256 private constant BOND = PRICE / 10;

    uint256 internal escrowed;
    uint256 internal disputed;

    function setUp() public {
        _deploy();
        escrowed = _listCoded(seller, ETH, PRICE);
        _buy(buyer, escrowed, address(0));
        disputed = _listCoded(seller, ETH, PRICE);
        _buy(buyer, disputed, address(0));
        _deliver(disputed);
        _dispute(disputed);
        // An earned credit sits in the exchange too.
        _buy(buyer, _listBacked(seller, ETH, PRICE), address(0));
    }

    /// @notice The owner (and anyone it appoints) uses every power it has, then tries to take the money: nothing of
    /// the 2 ETH escrow, the dispute bond or the treasury's credit moves, and both orders still end with their own
    /// buyer and seller.
    function test_adminPower_ownerUsesEveryPower_noSweep() public {
        address thief = makeAddr("thief");
        vm.startPrank(owner);
        exchange.setTreasury(thief);
        exchange.setArbiter(owner);
        exchange.setLevelShares([uint16(5_000), 0, 0]);
        exchange.setProtocolFee(300);
        exchange.setWindows(1 hours, 1 hours, 1 hours);
        exchange.setPayToken(address(usd), 0);
        exchange.setDisputeBond(5_000);
        exchange.pause();
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NothingToClaim.selector, owner, ETH));
        exchange.claim(ETH);
        vm.stopPrank();
        vm.prank(thief);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NothingToClaim.selector, thief, ETH));
        exchange.claim(ETH);

        vm.assertEq(exchange.credits(treasury, ETH), FEE, "old treasury keeps what it earned");
        vm.assertEq(address(exchange).balance, 2 * PRICE + BOND + FEE, "escrow, bond and credit intact");
        vm.assertEq(exchange.trade(escrowed).deadline, START + 1 days, "open deadline unchanged");
        vm.assertEq(exchange.disputeBond(disputed), BOND, "the disputed order keeps the bond of its purchase");

        // Both orders end with their own parties; the owner-arbiter can only choose between buyer and seller.
        uint256 buyerBefore = buyer.balance;
        vm.prank(owner);
        exchange.resolve(disputed, true);
        vm.warp(START + 1 days + 1);
        exchange.cancelUndelivered(escrowed);
        vm.assertEq(buyer.balance, buyerBefore + 2 * PRICE + BOND, "both refunds and the bond reached the buyer");
        vm.assertEq(owner.balance, 0, "owner got nothing");
        vm.assertEq(thief.balance, 0, "appointed treasury got nothing of the escrow");
        vm.prank(treasury);
        exchange.claim(ETH);
        vm.assertEq(address(exchange).balance, 0, "drained to the rightful parties");
    }

    /// @notice Releasing a dispute pays the seller (and the bond) and the fee; the arbiter itself never receives
    /// anything.
    function test_adminPower_arbiterRulesOnlyBetweenBuyerAndSeller() public {
        uint256 sellerBefore = seller.balance;
        _resolve(disputed, false);
        vm.assertEq(seller.balance, sellerBefore + PRICE - FEE + BOND, "release pays the seller, bond included");
        vm.assertEq(voucher.ownerOf(exchange.trade(disputed).tokenId), buyer, "and gives the buyer the voucher");
        vm.assertEq(arbiter.balance, 0, "arbiter paid nothing");
        vm.assertEq(exchange.credits(arbiter, ETH), 0, "arbiter credited nothing");
        IVoucherExchange.Stats memory s;
        (s, ) = exchange.account(buyer, new address[](0));
        vm.assertEq(s.disputesLost, 1, "the buyer lost the dispute");
    }

    function test_adminPower_arbiterOnlyOnDisputedOrders() public {
        vm.startPrank(arbiter);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherExchange.InvalidStatus.selector,
                escrowed,
                IVoucherExchange.Status.AwaitingDelivery
            )
        );
        exchange.resolve(escrowed, false);
        vm.stopPrank();
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NotArbiter.selector, owner));
        exchange.resolve(disputed, true);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NotArbiter.selector, buyer));
        exchange.resolve(disputed, true);
        // An arbiter replaced mid-dispute loses the power at once.
        address newArbiter = makeAddr("new arbiter");
        vm.prank(owner);
        exchange.setArbiter(newArbiter);
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NotArbiter.selector, arbiter));
        exchange.resolve(disputed, false);
        vm.prank(newArbiter);
        exchange.resolve(disputed, false);
        _statusEq(disputed, IVoucherExchange.Status.Completed, "new arbiter ruled");
    }

    function test_adminPower_everyOwnerFunctionIsOwnerOnly() public {
        bytes[] memory calls = new bytes[](11);
        calls[0] = abi.encodeCall(IVoucherExchange.setProtocolFee, (150));
        calls[1] = abi.encodeCall(IVoucherExchange.setLevelShares, ([uint16(0), 0, 0]));
        calls[2] = abi.encodeCall(IVoucherExchange.setTreasury, (other));
        calls[3] = abi.encodeCall(IVoucherExchange.setArbiter, (other));
        calls[4] = abi.encodeCall(IVoucherExchange.setPayToken, (other, uint96(MIN_PRICE)));
        calls[5] = abi.encodeCall(IVoucherExchange.setWindows, (1 hours, 1 hours, 1 hours));
        calls[6] = abi.encodeCall(IVoucherExchange.pause, ());
        calls[7] = abi.encodeCall(IVoucherExchange.unpause, ());
        calls[8] = abi.encodeWithSignature("transferOwnership(address)", other);
        calls[9] = abi.encodeWithSignature("renounceOwnership()");
        calls[10] = abi.encodeCall(IVoucherExchange.setDisputeBond, (1_000));
        for (uint256 i; i < calls.length; ++i) {
            vm.prank(other);
            (bool ok, bytes memory ret) = address(exchange).call(calls[i]);
            vm.assertFalse(ok, "non-owner call succeeded");
            vm.assertEq(
                ret,
                abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, other),
                "reverts OwnableUnauthorizedAccount"
            );
        }
    }

    /// @notice The evidence key is the arbiter's alone to publish: not the owner's, not a party's; and an arbiter
    /// replaced by the owner loses it with the office, so nobody else can read evidence sealed from then on.
    function test_adminPower_onlyTheArbiterPublishesItsKey() public {
        address[3] memory outsiders = [owner, buyer, seller];
        for (uint256 i; i < outsiders.length; ++i) {
            vm.prank(outsiders[i]);
            vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NotArbiter.selector, outsiders[i]));
            exchange.setArbiterKey(keccak256("someone else's key"));
        }
        vm.assertEq(exchange.arbiterKey(), ARBITER_KEY, "the arbiter's key stands");
        vm.prank(owner);
        exchange.setArbiter(other);
        vm.assertEq(exchange.arbiterKey(), bytes32(0), "the old arbiter's key went with it");
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NotArbiter.selector, arbiter));
        exchange.setArbiterKey(ARBITER_KEY);
        vm.prank(other);
        exchange.setArbiterKey(keccak256("other's key"));
        vm.assertEq(exchange.arbiterKey(), keccak256("other's key"), "the new arbiter published its own");
    }

    /// @notice The dispute bond stays within [1%, 50%] of the price whatever the owner tries.
    function test_adminPower_disputeBondBounded() public {
        uint16[4] memory bad = [uint16(0), 99, 5_001, type(uint16).max];
        vm.startPrank(owner);
        for (uint256 i; i < bad.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.DisputeBondOutOfBounds.selector, bad[i]));
            exchange.setDisputeBond(bad[i]);
        }
        exchange.setDisputeBond(100);
        vm.assertEq(exchange.disputeBondBps(), 100, "lower bound accepted");
        exchange.setDisputeBond(5_000);
        vm.assertEq(exchange.disputeBondBps(), 5_000, "upper bound accepted");
        vm.stopPrank();
    }

    function test_adminPower_settersRefuseZeroAndBadWindows() public {
        vm.startPrank(owner);
        _expectError(IVoucherExchange.ZeroAddress.selector);
        exchange.setTreasury(address(0));
        _expectError(IVoucherExchange.ZeroAddress.selector);
        exchange.setArbiter(address(0));
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.WindowOutOfBounds.selector, 1 hours - 1));
        exchange.setWindows(1 hours - 1, 1 days, 1 days);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.WindowOutOfBounds.selector, 30 days + 1));
        exchange.setWindows(1 days, 30 days + 1, 1 days);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.WindowOutOfBounds.selector, 0));
        exchange.setWindows(1 days, 1 days, 0);
        _expectError(IVoucherExchange.ExpectedPause.selector);
        exchange.unpause();
        exchange.pause();
        _expectError(IVoucherExchange.EnforcedPause.selector);
        exchange.pause();
        exchange.unpause();
        vm.stopPrank();
        vm.assertFalse(exchange.paused(), "unpaused");
    }

    /// @notice The exchange cannot even be deployed without a voucher contract, a treasury and an arbiter.
    function test_adminPower_constructorRefusesZeroAddresses() public {
        address[3][3] memory bad = [
            [address(0), treasury, arbiter],
            [address(voucher), address(0), arbiter],
            [address(voucher), treasury, address(0)]
        ];
        for (uint256 i; i < 3; ++i) {
            (address deployed, bytes memory revertData) = tryDeployCode(
                "VoucherExchange.sol:VoucherExchange",
                abi.encode(bad[i][0], owner, bad[i][1], bad[i][2], FEE_BPS)
            );
            vm.assertEq(deployed, address(0), "deployed with a zero address");
            vm.assertEq(revertData, abi.encodeWithSelector(IVoucherExchange.ZeroAddress.selector), "ZeroAddress");
        }
    }

    /// @notice Ownership moves in two steps, and an exchange whose owner renounced keeps every exit working.
    function test_adminPower_renouncedOwnerLeavesExitsWorking() public {
        vm.prank(owner);
        exchange.transferOwnership(other);
        vm.assertEq(exchange.owner(), owner, "still the old owner until accepted");
        vm.prank(other);
        exchange.acceptOwnership();
        vm.prank(other);
        exchange.pause();
        vm.prank(other);
        exchange.renounceOwnership();
        vm.assertEq(exchange.owner(), address(0), "nobody owns it");

        _resolve(disputed, true);
        vm.warp(START + 1 days + 1);
        exchange.cancelUndelivered(escrowed);
        vm.prank(treasury);
        exchange.claim(ETH);
        vm.assertEq(address(exchange).balance, 0, "everything still reached its owner");
    }
}
