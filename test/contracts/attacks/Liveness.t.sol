// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherExchange} from "../../../contracts/interfaces/IVoucherExchange.sol";
import {IVoucherToken} from "../../../contracts/interfaces/IVoucherToken.sol";
import {ExchangeFixture} from "../utils/ExchangeFixture.sol";

/// @title Liveness
/// @notice Guards against escrow with no way out, as in Akutar (Apr 2022: no permissionless exit, 11,539 ETH stuck
/// forever): whoever stops acting — seller, buyer or arbiter — anyone can end the order one second after its
/// deadline, pause or no pause, and the money and the voucher go where the rules say.
contract LivenessTest is ExchangeFixture {
    uint256 private constant PRICE = 1 ether;
    uint256 private constant FEE = (PRICE * FEE_BPS) / 10_000;

    function setUp() public {
        _deploy();
    }

    function test_liveness_sellerNeverDelivers_anyoneRefundsAfterDeadline() public {
        uint256 id = _listCoded(seller, ETH, PRICE);
        _buy(buyer, id, address(0));
        uint256 deadline = exchange.trade(id).deadline;
        vm.assertEq(deadline, START + 1 days, "delivery window is one day");

        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.DeadlineNotReached.selector, id, deadline));
        exchange.cancelUndelivered(id);

        vm.warp(deadline + 1);
        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.DeadlinePassed.selector, id, deadline));
        exchange.deliverCode(id, hex"c0de");

        uint256 buyerBefore = buyer.balance;
        vm.prank(other);
        exchange.cancelUndelivered(id);
        _statusEq(id, IVoucherExchange.Status.Refunded, "refunded");
        vm.assertEq(buyer.balance, buyerBefore + PRICE, "buyer repaid in full");
        vm.assertEq(voucher.ownerOf(exchange.trade(id).tokenId), seller, "voucher back with the seller");
        vm.assertEq(address(exchange).balance, 0, "nothing left behind");
    }

    function test_liveness_buyerNeverConfirms_anyoneFinalizesAfterDeadline() public {
        uint256 id = _listCoded(seller, ETH, PRICE);
        _buy(buyer, id, address(0));
        vm.warp(START + 12 hours);
        _deliver(id);
        uint256 deadline = exchange.trade(id).deadline;
        vm.assertEq(deadline, START + 12 hours + 3 days, "confirm window is three days from delivery");

        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.DeadlineNotReached.selector, id, deadline));
        exchange.finalize(id);

        vm.warp(deadline + 1);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.DeadlinePassed.selector, id, deadline));
        exchange.dispute(id, SEALED_EVIDENCE);

        vm.prank(other);
        exchange.finalize(id);
        _statusEq(id, IVoucherExchange.Status.Completed, "completed");
        vm.assertEq(seller.balance, PRICE - FEE, "seller paid");
        vm.assertEq(exchange.credits(treasury, ETH), FEE, "fee credited");
        vm.assertEq(voucher.ownerOf(exchange.trade(id).tokenId), buyer, "buyer has the voucher");
    }

    /// @notice An arbiter that never rules cannot hand a free refund to a buyer who already holds the code: after the
    /// arbitration window anyone settles the order as released, the seller gets the price less the fee plus the
    /// buyer's bond, and the buyer keeps the voucher and loses the dispute.
    function test_liveness_arbiterNeverActs_anyoneExpiresDisputeAsRelease() public {
        uint256 id = _listCoded(seller, ETH, PRICE);
        _buy(buyer, id, address(0));
        _deliver(id);
        vm.warp(START + 2 days);
        uint256 bond = _dispute(id);
        vm.assertEq(bond, PRICE / 10, "the default bond is 10% of the price");
        uint256 deadline = exchange.trade(id).deadline;
        vm.assertEq(deadline, START + 2 days + 7 days, "arbitration window is seven days from the dispute");

        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.DeadlineNotReached.selector, id, deadline));
        exchange.expireDispute(id);

        vm.warp(deadline + 1);
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.DeadlinePassed.selector, id, deadline));
        exchange.resolve(id, false);

        uint256 buyerBefore = buyer.balance;
        uint256 sellerBefore = seller.balance;
        vm.prank(other);
        exchange.expireDispute(id);
        _statusEq(id, IVoucherExchange.Status.Completed, "settled as released");
        vm.assertEq(
            seller.balance,
            sellerBefore + PRICE - FEE + bond,
            "seller paid the price less the fee, and the bond"
        );
        vm.assertEq(buyer.balance, buyerBefore, "the buyer gets nothing back");
        vm.assertEq(exchange.credits(treasury, ETH), FEE, "fee credited");
        vm.assertEq(voucher.ownerOf(exchange.trade(id).tokenId), buyer, "the buyer has the voucher");
        (IVoucherExchange.Stats memory s, ) = exchange.account(buyer, new address[](0));
        vm.assertEq(s.disputesOpened, 1, "the buyer opened a dispute");
        vm.assertEq(s.disputesLost, 1, "and lost it");
        vm.assertEq(address(exchange).balance, FEE, "nothing left but the fee");
    }

    /// @notice The exchange can only refund a dispute if the voucher token names it (`setExchange`, once): the refund
    /// marks the voucher disclosed. Deployed against a token that names no exchange (or another one), every refund
    /// ruling reverts with NotExchange, and the dispute can only end by the timeout, in the seller's favour. The
    /// deployment must call `setExchange` before the first sale; this pins that dependency.
    function test_liveness_refundRulingNeedsTheTokenToNameTheExchange() public {
        IVoucherExchange second = IVoucherExchange(
            deployCode(
                "VoucherExchange.sol:VoucherExchange",
                abi.encode(address(voucher), owner, treasury, arbiter, FEE_BPS)
            )
        );
        vm.prank(arbiter);
        second.setArbiterKey(ARBITER_KEY);
        uint256 tokenId = _mintCoded(seller);
        vm.startPrank(seller);
        voucher.setApprovalForAll(address(second), true);
        uint256 id = second.list(tokenId, ETH, 0.001 ether);
        vm.stopPrank();
        vm.deal(buyer, 1 ether);
        vm.prank(buyer);
        second.buy{value: 0.001 ether}(id, 0.001 ether, address(0), BUYER_KEY);
        vm.prank(seller);
        second.deliverCode(id, hex"c0de");
        vm.prank(buyer);
        second.dispute{value: 0.0001 ether}(id, SEALED_EVIDENCE);

        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(IVoucherToken.NotExchange.selector, address(second)));
        second.resolve(id, true);
        vm.warp(block.timestamp + 7 days + 1);
        uint256 sellerBefore = seller.balance;
        second.expireDispute(id);
        vm.assertEq(
            seller.balance,
            sellerBefore + 0.001 ether - 0.00002 ether + 0.0001 ether,
            "timeout pays the seller"
        );
        vm.assertEq(voucher.ownerOf(tokenId), buyer, "the buyer has the voucher");
    }

    /// @notice The owner's pause stops new business only; every exit and every claim still works.
    function test_liveness_pauseNeverBlocksExits() public {
        uint256 listed = _listCoded(seller, ETH, PRICE);
        uint256 undelivered = _listCoded(seller, ETH, PRICE);
        uint256 toConfirm = _listCoded(seller, ETH, PRICE);
        uint256 toFinalize = _listCoded(seller, ETH, PRICE);
        uint256 toResolve = _listCoded(seller, ETH, PRICE);
        uint256 toExpire = _listCoded(seller, ETH, PRICE);
        for (uint256 id = undelivered; id <= toExpire; ++id) _buy(buyer, id, address(0));
        vm.prank(owner);
        exchange.pause();

        // Steps inside an order still work while paused.
        for (uint256 id = toConfirm; id <= toExpire; ++id) _deliver(id);
        _dispute(toResolve);
        _dispute(toExpire);
        _confirm(toConfirm);
        _resolve(toResolve, true);
        vm.prank(seller);
        exchange.cancelListing(listed);

        vm.warp(block.timestamp + 7 days + 1);
        exchange.cancelUndelivered(undelivered);
        exchange.finalize(toFinalize);
        exchange.expireDispute(toExpire);
        vm.prank(treasury);
        exchange.claim(ETH);

        _statusEq(listed, IVoucherExchange.Status.Cancelled, "cancelled");
        _statusEq(undelivered, IVoucherExchange.Status.Refunded, "undelivered refunded");
        _statusEq(toConfirm, IVoucherExchange.Status.Completed, "confirmed");
        _statusEq(toFinalize, IVoucherExchange.Status.Completed, "finalized");
        _statusEq(toResolve, IVoucherExchange.Status.Refunded, "resolved");
        _statusEq(toExpire, IVoucherExchange.Status.Completed, "expired as released");
        vm.assertEq(treasury.balance, 3 * FEE, "treasury claimed while paused");
        vm.assertEq(address(exchange).balance, 0, "drained to zero while paused");

        // New business is what pause stops.
        uint256 tokenId = _mintCoded(seller);
        vm.prank(seller);
        _expectError(IVoucherExchange.EnforcedPause.selector);
        exchange.list(tokenId, ETH, PRICE);
    }

    /// @notice Windows changed by the owner apply to future deadlines only: an open order's exit cannot be pushed out.
    function test_liveness_windowChangesDoNotMoveOpenDeadlines() public {
        uint256 id = _listCoded(seller, ETH, PRICE);
        _buy(buyer, id, address(0));
        uint256 deadline = exchange.trade(id).deadline;
        vm.prank(owner);
        exchange.setWindows(30 days, 30 days, 30 days);
        vm.assertEq(exchange.trade(id).deadline, deadline, "deadline unchanged");
        vm.warp(deadline + 1);
        exchange.cancelUndelivered(id);
        _statusEq(id, IVoucherExchange.Status.Refunded, "refunded on the original schedule");
    }

    /// @notice From any stage an order can reach, the longest possible wait (30-day windows) ends in a final state
    /// through a permissionless call, with the escrow (a disputed order's bond included) paid out in full. (A state-machine property, not arithmetic: 256
    /// runs cover its three stages; the 5,000-run budget is for the fee arithmetic.)
    /// hardhat-config: fuzz.runs = 256
    function testFuzz_liveness_everyOpenOrderCanBeClosedByAnyone(uint8 stage, uint32 window, uint32 lateBy) public {
        window = uint32(bound(window, 1 hours, 30 days));
        lateBy = uint32(bound(lateBy, 1, 365 days));
        vm.prank(owner);
        exchange.setWindows(window, window, window);
        uint256 id = _listCoded(seller, ETH, PRICE);
        _buy(buyer, id, address(0));
        stage = uint8(bound(stage, 0, 2));
        if (stage >= 1) _deliver(id);
        if (stage == 2) _dispute(id);
        vm.warp(uint256(exchange.trade(id).deadline) + lateBy);

        vm.startPrank(other);
        if (stage == 0) exchange.cancelUndelivered(id);
        if (stage == 1) exchange.finalize(id);
        if (stage == 2) exchange.expireDispute(id);
        vm.stopPrank();

        // Only an undelivered order is refunded; a delivered one settles, disputed or not.
        _statusEq(
            id,
            stage == 0 ? IVoucherExchange.Status.Refunded : IVoucherExchange.Status.Completed,
            "order reached its final state"
        );
        vm.assertEq(address(exchange).balance, exchange.credits(treasury, ETH), "only the treasury's fee remains");
    }
}
