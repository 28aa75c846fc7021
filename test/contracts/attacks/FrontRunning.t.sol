// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherExchange} from "../../../contracts/interfaces/IVoucherExchange.sol";
import {ExchangeFixture} from "../utils/ExchangeFixture.sol";

/// @title Front-running
/// @notice Guards against the transaction-ordering attacks measured in "Flash Boys 2.0" (Daian et al., 2019) and the
/// Bancor front-running disclosure (2017): a seller who raises its price, or an owner who raises the fee, in front of
/// a pending buy cannot make the buyer pay more or change the terms of an order already funded.
contract FrontRunningTest is ExchangeFixture {
    uint256 private constant PRICE = 1 ether;

    function setUp() public {
        _deploy();
    }

    function test_frontRunning_sellerRaisesPrice_buyReverts() public {
        uint256 id = _listCoded(seller, ETH, PRICE);
        // The buyer signs for PRICE; the seller's update lands first.
        vm.prank(seller);
        exchange.updatePrice(id, 2 * PRICE);
        vm.deal(buyer, 2 * PRICE);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.PriceAboveMax.selector, 2 * PRICE, PRICE));
        exchange.buy{value: 2 * PRICE}(id, PRICE, address(0), BUYER_KEY);
        vm.assertEq(buyer.balance, 2 * PRICE, "buyer kept its money");
        _statusEq(id, IVoucherExchange.Status.Listed, "still listed");
    }

    function test_frontRunning_sellerRaisesTokenPrice_buyReverts() public {
        uint256 id = _listCoded(seller, address(usd), 100e6);
        _fund(address(usd), buyer, 1_000e6);
        vm.prank(seller);
        exchange.updatePrice(id, 900e6);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.PriceAboveMax.selector, 900e6, 100e6));
        exchange.buy(id, 100e6, address(0), BUYER_KEY);
        vm.assertEq(usd.balanceOf(buyer), 1_000e6, "unlimited approval not exploited");
    }

    /// @notice A lower price in front of a token buy: the buyer pays the lower price, never its own maximum.
    function test_frontRunning_sellerLowersPrice_buyerPaysTheListedPrice() public {
        uint256 id = _listCoded(seller, address(usd), 100e6);
        _fund(address(usd), buyer, 100e6);
        vm.prank(seller);
        exchange.updatePrice(id, 60e6);
        vm.prank(buyer);
        exchange.buy(id, 100e6, address(0), BUYER_KEY);
        vm.assertEq(usd.balanceOf(buyer), 40e6, "paid 60, not 100");
        vm.assertEq(exchange.trade(id).price, 60e6, "order escrows 60");
    }

    /// @notice An open order keeps the fee it was funded at, whatever the owner sets before it settles.
    function test_frontRunning_ownerRaisesFee_openOrderKeepsItsFee() public {
        uint256 id = _listCoded(seller, ETH, PRICE);
        _buy(buyer, id, address(0));
        vm.prank(owner);
        exchange.setProtocolFee(300);
        _deliver(id);
        _confirm(id);
        vm.assertEq(exchange.trade(id).feeBps, FEE_BPS, "fee stored at buy");
        vm.assertEq(seller.balance, PRICE - (PRICE * FEE_BPS) / 10_000, "seller paid at the funded fee");
        vm.assertEq(exchange.credits(treasury, ETH), (PRICE * FEE_BPS) / 10_000, "treasury got the funded fee");

        uint256 later = _listBacked(seller, ETH, PRICE);
        _buy(buyer, later, address(0));
        vm.assertEq(exchange.trade(later).feeBps, 300, "new orders pay the new fee");
    }

    /// @notice An open order keeps the dispute bond of its purchase: an owner raising it in front of a dispute cannot
    /// price the buyer out of disputing, nor lowering it make a false dispute cheaper; new orders get the new bond.
    function test_frontRunning_ownerChangesBond_openOrderKeepsItsBond() public {
        uint256 id = _listCoded(seller, ETH, PRICE);
        _buy(buyer, id, address(0));
        _deliver(id);
        vm.prank(owner);
        exchange.setDisputeBond(5_000);
        uint256 bond = PRICE / 10;
        vm.assertEq(exchange.disputeBond(id), bond, "the bond of the purchase");
        vm.deal(buyer, PRICE);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.WrongPayment.selector, PRICE / 2, bond));
        exchange.dispute{value: PRICE / 2}(id, SEALED_EVIDENCE);
        vm.prank(owner);
        exchange.setDisputeBond(100);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.WrongPayment.selector, PRICE / 100, bond));
        exchange.dispute{value: PRICE / 100}(id, SEALED_EVIDENCE);
        vm.prank(buyer);
        exchange.dispute{value: bond}(id, SEALED_EVIDENCE);
        vm.assertEq(address(exchange).balance, PRICE + bond, "escrow holds the price and the bond of the purchase");

        uint256 later = _listCoded(seller, ETH, PRICE);
        _buy(buyer, later, address(0));
        vm.assertEq(exchange.disputeBond(later), PRICE / 100, "new orders get the new bond");
    }

    /// @notice Whatever the owner does, the fee can only land in [1%, 3%]: the worst a fee front-run can do to a
    /// seller is bounded and visible (`quote`) before it lists.
    function test_frontRunning_feeFrontRunIsBounded() public {
        uint256 id = _listCoded(seller, ETH, PRICE);
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.FeeOutOfBounds.selector, 301));
        exchange.setProtocolFee(301);
        exchange.setProtocolFee(300);
        vm.stopPrank();
        vm.prank(buyer);
        IVoucherExchange.Split memory q = exchange.quote(id, address(0));
        vm.assertEq(q.fee, (PRICE * 300) / 10_000, "quote shows the current fee");
        _buy(buyer, id, address(0));
        vm.assertEq(exchange.trade(id).feeBps, 300, "at most 3%");
    }

    /// @notice A buy cannot be front-run by a listing swap: prices are per listing id and a cancelled id never revives.
    function test_frontRunning_cancelAndRelistCannotRedirectABuy() public {
        uint256 id = _listCoded(seller, ETH, PRICE);
        uint256 tokenId = exchange.trade(id).tokenId;
        vm.prank(seller);
        exchange.cancelListing(id);
        _list(seller, tokenId, ETH, 5 * PRICE);
        vm.deal(buyer, PRICE);
        vm.prank(buyer);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherExchange.InvalidStatus.selector, id, IVoucherExchange.Status.Cancelled)
        );
        exchange.buy{value: PRICE}(id, PRICE, address(0), BUYER_KEY);
    }
}
