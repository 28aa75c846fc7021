// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IVoucherExchange} from "../../../contracts/interfaces/IVoucherExchange.sol";
import {IVoucherToken} from "../../../contracts/interfaces/IVoucherToken.sol";
import {ExchangeFixture} from "../utils/ExchangeFixture.sol";

/// @title Stale listings
/// @notice Guards against the OpenSea inactive-listing exploit (Jan 2022: old listings of NFTs that had left and
/// returned to a wallet were filled at their stale, low prices): a listed voucher is in the exchange's custody, so it
/// cannot move, be redeemed or be sold twice, and a cancelled or sold listing never comes back to life.
contract StaleListingsTest is ExchangeFixture {
    uint256 private constant PRICE = 1 ether;

    function setUp() public {
        _deploy();
    }

    function test_staleListings_listedVoucherIsInCustody() public {
        uint256 id = _listCoded(seller, ETH, PRICE);
        uint256 tokenId = exchange.trade(id).tokenId;
        vm.assertEq(voucher.ownerOf(tokenId), address(exchange), "exchange holds the listed voucher");

        vm.startPrank(seller);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InsufficientApproval.selector, seller, tokenId));
        voucher.transferFrom(seller, other, tokenId);
        vm.expectRevert(abi.encodeWithSelector(IVoucherToken.NotVoucherOwner.selector, seller, tokenId));
        voucher.redeem(tokenId);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NotVoucherOwner.selector, seller, tokenId));
        exchange.list(tokenId, ETH, PRICE / 2);
        vm.expectRevert(abi.encodeWithSelector(IVoucherToken.NotVoucherOwner.selector, seller, tokenId));
        voucher.sealCode(tokenId, hex"5eed");
        vm.stopPrank();
        vm.assertEq(exchange.tradeCount(), 1, "no second listing");
    }

    function test_staleListings_cannotBeSoldTwice() public {
        uint256 id = _listCoded(seller, ETH, PRICE);
        _buy(buyer, id, address(0));
        vm.deal(other, PRICE);
        vm.prank(other);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherExchange.InvalidStatus.selector,
                id,
                IVoucherExchange.Status.AwaitingDelivery
            )
        );
        exchange.buy{value: PRICE}(id, PRICE, address(0), BUYER_KEY);
        _deliver(id);
        _confirm(id);
        vm.prank(other);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherExchange.InvalidStatus.selector, id, IVoucherExchange.Status.Completed)
        );
        exchange.buy{value: PRICE}(id, PRICE, address(0), BUYER_KEY);
        vm.assertEq(other.balance, PRICE, "second buyer kept its money");
    }

    /// @notice The same voucher twice in one batch: the second copy finds it already in custody, so the whole batch
    /// reverts and no voucher ends up behind two listings.
    function test_staleListings_duplicateInBatch_refused() public {
        uint256 tokenId = _mintCoded(seller);
        uint256[] memory ids = new uint256[](2);
        ids[0] = tokenId;
        ids[1] = tokenId;
        uint256[] memory prices = new uint256[](2);
        prices[0] = PRICE;
        prices[1] = PRICE / 2;
        vm.startPrank(seller);
        voucher.setApprovalForAll(address(exchange), true);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NotVoucherOwner.selector, seller, tokenId));
        exchange.listBatch(ids, ETH, prices);
        vm.stopPrank();
        vm.assertEq(exchange.tradeCount(), 0, "nothing listed");
        vm.assertEq(voucher.ownerOf(tokenId), seller, "seller keeps it");
    }

    /// @notice Cancel, then relist at a higher price: the old, cheaper listing id stays dead.
    function test_staleListings_cancelledListingNeverRevives() public {
        uint256 cheap = _listCoded(seller, ETH, PRICE);
        uint256 tokenId = exchange.trade(cheap).tokenId;
        vm.prank(seller);
        exchange.cancelListing(cheap);
        vm.assertEq(voucher.ownerOf(tokenId), seller, "voucher back with the seller");
        uint256 fresh = _list(seller, tokenId, ETH, 3 * PRICE);
        vm.assertTrue(fresh != cheap, "relisting gets a new id");

        vm.deal(buyer, PRICE);
        vm.prank(buyer);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherExchange.InvalidStatus.selector, cheap, IVoucherExchange.Status.Cancelled)
        );
        exchange.buy{value: PRICE}(cheap, PRICE, address(0), BUYER_KEY);
        vm.prank(seller);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherExchange.InvalidStatus.selector, cheap, IVoucherExchange.Status.Cancelled)
        );
        exchange.cancelListing(cheap);

        _buy(buyer, fresh, address(0));
        vm.assertEq(address(exchange).balance, 3 * PRICE, "paid the live price");
    }

    /// @notice After a refund the voucher is the seller's again; the refunded id cannot be bought a second time.
    function test_staleListings_refundedOrderNeverRevives() public {
        uint256 id = _listCoded(seller, ETH, PRICE);
        _buy(buyer, id, address(0));
        _pastDeadline(id);
        exchange.cancelUndelivered(id);
        vm.deal(other, PRICE);
        vm.prank(other);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherExchange.InvalidStatus.selector, id, IVoucherExchange.Status.Refunded)
        );
        exchange.buy{value: PRICE}(id, PRICE, address(0), BUYER_KEY);
        vm.assertEq(voucher.ownerOf(exchange.trade(id).tokenId), seller, "seller has it");
    }

    /// @notice A voucher bought and resold moves through fresh ids; its old listing stays completed.
    function test_staleListings_resaleUsesAFreshListing() public {
        uint256 first = _listBacked(seller, ETH, PRICE);
        _buy(buyer, first, address(0));
        uint256 tokenId = exchange.trade(first).tokenId;
        uint256 second = _list(buyer, tokenId, ETH, 2 * PRICE);
        _statusEq(first, IVoucherExchange.Status.Completed, "first sale final");
        vm.assertEq(exchange.trade(second).seller, buyer, "reseller is the new seller");
        _buy(other, second, address(0));
        vm.assertEq(voucher.ownerOf(tokenId), other, "resold");
    }

    /// @notice A page that starts past a dead listing and ends inside the id range shows nothing stale either.
    function test_staleListings_activeListingsPageSkipsDeadIds() public {
        uint256 a = _listCoded(seller, ETH, PRICE);
        _listCoded(seller, ETH, PRICE);
        vm.prank(seller);
        exchange.cancelListing(a);
        vm.assertEq(exchange.activeListings(a, 1).length, 0, "a one-id page over a cancelled listing is empty");
    }

    /// @notice The active-listings view never shows a cancelled, sold or refunded id.
    function test_staleListings_activeListingsShowOnlyLiveOnes() public {
        uint256 a = _listCoded(seller, ETH, PRICE);
        uint256 b = _listCoded(seller, ETH, PRICE);
        uint256 c = _listCoded(seller, address(usd), 100e6);
        uint256 d = _listBacked(seller, ETH, PRICE);
        vm.prank(seller);
        exchange.cancelListing(a);
        _buy(buyer, d, address(0));
        IVoucherExchange.ListingView[] memory page = exchange.activeListings(0, 100);
        vm.assertEq(page.length, 2, "two live listings");
        vm.assertEq(page[0].tradeId, b, "b");
        vm.assertEq(page[1].tradeId, c, "c");
        vm.assertEq(page[1].payToken, address(usd), "c's token");
        vm.assertEq(page[1].faceValue, 50_000, "joined with the voucher");
        vm.assertEq(exchange.activeListings(c + 1, 10).length, 0, "nothing past the end");
    }
}
