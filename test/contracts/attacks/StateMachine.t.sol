// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IVoucherExchange} from "../../../contracts/interfaces/IVoucherExchange.sol";
import {IVoucherToken} from "../../../contracts/interfaces/IVoucherToken.sol";
import {ExchangeFixture} from "../utils/ExchangeFixture.sol";

/// @title State machine
/// @notice Guards against Nomad (Aug 2022, $190M: an unset state counted as "proven", so any message could be
/// processed, and processed again): every order moves forward only, settles or refunds exactly once, and every
/// out-of-order call reverts with the state it found.
contract StateMachineTest is ExchangeFixture {
    uint256 private constant PRICE = 1 ether;

    function setUp() public {
        _deploy();
    }

    function _expectStatus(uint256 id, IVoucherExchange.Status status) internal {
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.InvalidStatus.selector, id, status));
    }

    function _open(bool delivered, bool disputed) internal returns (uint256 id) {
        id = _listCoded(seller, ETH, PRICE);
        _buy(buyer, id, address(0));
        if (delivered) _deliver(id);
        if (disputed) _dispute(id);
    }

    function test_stateMachine_settleThenCancel_reverts() public {
        uint256 id = _open(true, false);
        _confirm(id);
        vm.warp(block.timestamp + 30 days);
        _expectStatus(id, IVoucherExchange.Status.Completed);
        exchange.cancelUndelivered(id);
        _expectStatus(id, IVoucherExchange.Status.Completed);
        exchange.expireDispute(id);
        vm.prank(seller);
        _expectStatus(id, IVoucherExchange.Status.Completed);
        exchange.cancelListing(id);
    }

    function test_stateMachine_resolveThenTimeout_reverts() public {
        uint256 id = _open(true, true);
        _resolve(id, true);
        vm.warp(block.timestamp + 30 days);
        _expectStatus(id, IVoucherExchange.Status.Refunded);
        exchange.expireDispute(id);
        _expectStatus(id, IVoucherExchange.Status.Refunded);
        exchange.finalize(id);
        vm.prank(arbiter);
        _expectStatus(id, IVoucherExchange.Status.Refunded);
        exchange.resolve(id, false);
        vm.assertEq(address(exchange).balance, 0, "refund paid once");
    }

    /// @notice An arbitration timeout settles the order as released: the late ruling, a second timeout and every
    /// other exit find it completed, and the price and the bond left the escrow once.
    function test_stateMachine_timeoutThenResolve_reverts() public {
        uint256 id = _open(true, true);
        uint256 bond = exchange.disputeBond(id);
        _pastDeadline(id);
        uint256 sellerBefore = seller.balance;
        exchange.expireDispute(id);
        vm.assertEq(seller.balance, sellerBefore + PRICE - (PRICE * FEE_BPS) / 10_000 + bond, "seller paid once");
        vm.prank(arbiter);
        _expectStatus(id, IVoucherExchange.Status.Completed);
        exchange.resolve(id, true);
        _expectStatus(id, IVoucherExchange.Status.Completed);
        exchange.expireDispute(id);
        _expectStatus(id, IVoucherExchange.Status.Completed);
        exchange.cancelUndelivered(id);
        vm.assertEq(address(exchange).balance, exchange.credits(treasury, ETH), "only the fee is left");
    }

    function test_stateMachine_confirmTwice_reverts() public {
        uint256 id = _open(true, false);
        _confirm(id);
        uint256 sellerPaid = seller.balance;
        vm.prank(buyer);
        _expectStatus(id, IVoucherExchange.Status.Completed);
        exchange.confirm(id);
        _expectStatus(id, IVoucherExchange.Status.Completed);
        exchange.finalize(id);
        vm.assertEq(seller.balance, sellerPaid, "paid once");
    }

    function test_stateMachine_disputeAfterWindow_reverts() public {
        uint256 id = _open(true, false);
        uint256 deadline = exchange.trade(id).deadline;
        // The window includes its last second...
        uint256 snap = vm.snapshotState();
        vm.warp(deadline);
        _dispute(id);
        _statusEq(id, IVoucherExchange.Status.Disputed, "dispute inside the window");
        vm.revertToState(snap);
        // ...and not one more.
        vm.warp(deadline + 1);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.DeadlinePassed.selector, id, deadline));
        exchange.dispute(id, SEALED_EVIDENCE);
    }

    function test_stateMachine_deliverTwice_reverts() public {
        uint256 id = _open(true, false);
        vm.prank(seller);
        _expectStatus(id, IVoucherExchange.Status.Delivered);
        exchange.deliverCode(id, hex"beef");
    }

    function test_stateMachine_outOfOrderSteps_revert() public {
        uint256 awaiting = _open(false, false);
        uint256 delivered = _open(true, false);
        uint256 disputed = _open(true, true);

        vm.prank(buyer);
        _expectStatus(awaiting, IVoucherExchange.Status.AwaitingDelivery);
        exchange.confirm(awaiting);
        vm.prank(buyer);
        _expectStatus(awaiting, IVoucherExchange.Status.AwaitingDelivery);
        exchange.dispute(awaiting, SEALED_EVIDENCE);
        vm.prank(arbiter);
        _expectStatus(delivered, IVoucherExchange.Status.Delivered);
        exchange.resolve(delivered, true);
        vm.prank(buyer);
        _expectStatus(disputed, IVoucherExchange.Status.Disputed);
        exchange.confirm(disputed);
        vm.prank(buyer);
        _expectStatus(disputed, IVoucherExchange.Status.Disputed);
        exchange.dispute(disputed, SEALED_EVIDENCE);
        vm.prank(seller);
        _expectStatus(awaiting, IVoucherExchange.Status.AwaitingDelivery);
        exchange.updatePrice(awaiting, 2 ether);

        uint256 deadline = exchange.trade(delivered).deadline;
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.DeadlineNotReached.selector, delivered, deadline));
        exchange.finalize(delivered);
    }

    function test_stateMachine_unknownIds_revert() public {
        uint256 id = 777;
        _expectStatus(id, IVoucherExchange.Status.None);
        exchange.buy(id, type(uint256).max, address(0), BUYER_KEY);
        _expectStatus(id, IVoucherExchange.Status.None);
        exchange.finalize(id);
        _expectStatus(id, IVoucherExchange.Status.None);
        exchange.cancelUndelivered(id);
        _expectStatus(id, IVoucherExchange.Status.None);
        exchange.expireDispute(id);
        vm.prank(arbiter);
        _expectStatus(id, IVoucherExchange.Status.None);
        exchange.resolve(id, true);
        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NotSeller.selector, seller, id));
        exchange.cancelListing(id);
        _expectStatus(id, IVoucherExchange.Status.None);
        exchange.quote(id, address(0));
    }

    /// @notice An issuer-backed voucher settles in the buy, so no later step exists for it.
    function test_stateMachine_instantOrder_hasNoLaterSteps() public {
        uint256 id = _listBacked(seller, ETH, PRICE);
        _buy(buyer, id, address(0));
        _statusEq(id, IVoucherExchange.Status.Completed, "settled in the buy");
        vm.prank(seller);
        _expectStatus(id, IVoucherExchange.Status.Completed);
        exchange.deliverCode(id, hex"c0de");
        // Its buyer lives in the Purchased event only, so nobody is the buyer of record who could dispute it.
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NotBuyer.selector, buyer, id));
        exchange.dispute(id, SEALED_EVIDENCE);
        vm.warp(block.timestamp + 30 days);
        _expectStatus(id, IVoucherExchange.Status.Completed);
        exchange.cancelUndelivered(id);
    }

    function test_stateMachine_emptyDeliveryAndEmptyEvidence_revert() public {
        uint256 id = _open(false, false);
        vm.prank(seller);
        _expectError(IVoucherExchange.EmptyDelivery.selector);
        exchange.deliverCode(id, "");
        _deliver(id);
        uint256 bond = exchange.disputeBond(id);
        vm.deal(buyer, bond);
        vm.prank(buyer);
        _expectError(IVoucherExchange.MissingEvidence.selector);
        exchange.dispute{value: bond}(id, "");
        uint256 listing = _listCoded(seller, ETH, PRICE);
        vm.deal(other, PRICE);
        vm.prank(other);
        _expectError(IVoucherExchange.MissingBuyerKey.selector);
        exchange.buy{value: PRICE}(listing, PRICE, address(0), bytes32(0));
    }

    /// @notice A dispute needs a key to seal its evidence to: while the arbiter has none (a new arbiter has not
    /// published one yet) the buyer cannot dispute, and the order stays Delivered with its window running.
    function test_stateMachine_disputeWithoutArbiterKey_reverts() public {
        uint256 id = _open(true, false);
        address newArbiter = makeAddr("new arbiter");
        vm.prank(owner);
        exchange.setArbiter(newArbiter);
        uint256 bond = exchange.disputeBond(id);
        vm.deal(buyer, bond);
        vm.prank(buyer);
        _expectError(IVoucherExchange.NoArbiterKey.selector);
        exchange.dispute{value: bond}(id, SEALED_EVIDENCE);
        _statusEq(id, IVoucherExchange.Status.Delivered, "still delivered");
        vm.prank(newArbiter);
        exchange.setArbiterKey(keccak256("new arbiter key"));
        _dispute(id);
        _statusEq(id, IVoucherExchange.Status.Disputed, "disputed once the key is published");
    }

    // ─── Disclosed, expired and redeemed vouchers ────────────────────────────────────────────────────────────────

    /// @notice A voucher refunded after a dispute had its code seen by the buyer and the arbiter: it is marked
    /// disclosed for good, whoever holds it, so it can never be listed (and so never sold) again or attested.
    function test_stateMachine_disclosedVoucher_neverListedAgain() public {
        uint256 id = _open(true, true);
        uint256 tokenId = exchange.trade(id).tokenId;
        _resolve(id, true);
        vm.assertTrue(voucher.voucher(tokenId).disclosed, "marked disclosed");
        vm.assertEq(voucher.ownerOf(tokenId), seller, "back with the seller");
        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.VoucherDisclosed.selector, tokenId));
        exchange.list(tokenId, ETH, PRICE);

        // Moving it to a fresh wallet does not wash the mark off.
        vm.prank(seller);
        voucher.transferFrom(seller, other, tokenId);
        vm.startPrank(other);
        voucher.setApprovalForAll(address(exchange), true);
        uint256[] memory ids = new uint256[](1);
        ids[0] = tokenId;
        uint256[] memory prices = new uint256[](1);
        prices[0] = PRICE;
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.VoucherDisclosed.selector, tokenId));
        exchange.listBatch(ids, ETH, prices);
        vm.stopPrank();
        vm.prank(issuer);
        vm.expectRevert(abi.encodeWithSelector(IVoucherToken.CodeWasDisclosed.selector, tokenId));
        voucher.attest(tokenId, 50_000);
        vm.assertEq(exchange.tradeCount(), id, "no listing after the refund");
    }

    function test_stateMachine_expiredVoucher_cannotBeListedBoughtOrRedeemed() public {
        uint256 listed = _listCoded(seller, ETH, PRICE);
        uint256 held = _mintCoded(seller);
        vm.warp(expiresAt);

        uint256 listedToken = exchange.trade(listed).tokenId;
        vm.deal(buyer, PRICE);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.VoucherExpired.selector, listedToken, expiresAt));
        exchange.buy{value: PRICE}(listed, PRICE, address(0), BUYER_KEY);

        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.VoucherExpired.selector, held, expiresAt));
        exchange.list(held, ETH, PRICE);

        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(IVoucherToken.VoucherExpired.selector, held, expiresAt));
        voucher.redeem(held);

        // The seller can still take its expired voucher back.
        vm.prank(seller);
        exchange.cancelListing(listed);
        vm.assertEq(voucher.ownerOf(exchange.trade(listed).tokenId), seller, "expired voucher returned");
    }

    function test_stateMachine_redeemedVoucher_cannotBeListedOrRedeemedAgain() public {
        uint256 tokenId = _mintCoded(seller);
        vm.prank(seller);
        voucher.redeem(tokenId);

        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, tokenId));
        exchange.list(tokenId, ETH, PRICE);
        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(IVoucherToken.NotVoucherOwner.selector, seller, tokenId));
        voucher.redeem(tokenId);
    }

    /// @notice A bought voucher that the buyer redeems is gone for good: it cannot come back through a refund path.
    function test_stateMachine_redeemedAfterPurchase_staysRedeemed() public {
        uint256 id = _listBacked(seller, ETH, PRICE);
        _buy(buyer, id, address(0));
        uint256 tokenId = exchange.trade(id).tokenId;
        vm.prank(buyer);
        voucher.redeem(tokenId);
        vm.warp(block.timestamp + 30 days);
        _expectStatus(id, IVoucherExchange.Status.Completed);
        exchange.cancelUndelivered(id);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, tokenId));
        voucher.ownerOf(tokenId);
    }
}
