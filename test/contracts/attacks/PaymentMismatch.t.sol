// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IVoucherExchange} from "../../../contracts/interfaces/IVoucherExchange.sol";
import {ExchangeFixture} from "../utils/ExchangeFixture.sol";

/// @title Zero and mismatched payment
/// @notice Guards against TreasureDAO (Mar 2022: buying with quantity 0 paid nothing and still transferred the NFTs)
/// and HenloKart (2025, paid out of the contract's own balance): price 0 or out of range is refused, the ETH path needs
/// exactly the price, the token path exactly zero ETH, and nobody can pay with the escrow the exchange already holds.
contract PaymentMismatchTest is ExchangeFixture {
    uint256 private constant PRICE = 1 ether;

    uint256 internal victimOrder;

    function setUp() public {
        _deploy();
        // Money that belongs to someone else sits in the exchange: a funded open order in each asset.
        victimOrder = _listCoded(seller, ETH, 5 ether);
        _buy(other, victimOrder, address(0));
        _buy(other, _listCoded(seller, address(usd), 500e6), address(0));
    }

    function test_paymentMismatch_priceOutOfRange_refused() public {
        uint256 tokenId = _mintCoded(seller);
        uint256 listing = _listCoded(seller, ETH, PRICE);
        uint256[4] memory bad = [uint256(0), 1, 9_999, uint256(type(uint96).max) + 1];
        vm.startPrank(seller);
        for (uint256 i; i < bad.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.PriceOutOfRange.selector, bad[i], MIN_PRICE));
            exchange.list(tokenId, ETH, bad[i]);
            vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.PriceOutOfRange.selector, bad[i], MIN_PRICE));
            exchange.updatePrice(listing, bad[i]);
        }
        // The edges themselves are fine.
        exchange.updatePrice(listing, 10_000);
        exchange.updatePrice(listing, type(uint96).max);
        vm.stopPrank();
    }

    function test_paymentMismatch_batchWithOneBadPrice_refusedWhole() public {
        uint256[] memory ids = new uint256[](3);
        uint256[] memory prices = new uint256[](3);
        for (uint256 i; i < 3; ++i) {
            ids[i] = _mintCoded(seller);
            prices[i] = PRICE;
        }
        prices[2] = 0;
        uint256 tradesBefore = exchange.tradeCount();
        vm.startPrank(seller);
        voucher.setApprovalForAll(address(exchange), true);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.PriceOutOfRange.selector, 0, MIN_PRICE));
        exchange.listBatch(ids, ETH, prices);
        uint256[] memory short = new uint256[](2);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.InvalidBatchSize.selector, 3));
        exchange.listBatch(ids, ETH, short);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.InvalidBatchSize.selector, 0));
        exchange.listBatch(new uint256[](0), ETH, new uint256[](0));
        vm.stopPrank();
        vm.assertEq(exchange.tradeCount(), tradesBefore, "nothing listed");
        vm.assertEq(voucher.ownerOf(ids[0]), seller, "vouchers stay with the seller");
    }

    function test_paymentMismatch_ethPathNeedsExactPrice() public {
        uint256 id = _listCoded(seller, ETH, PRICE);
        uint256[4] memory sent = [uint256(0), 1, PRICE - 1, PRICE + 1];
        vm.deal(buyer, 2 * PRICE);
        for (uint256 i; i < sent.length; ++i) {
            vm.prank(buyer);
            vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.WrongPayment.selector, sent[i], PRICE));
            exchange.buy{value: sent[i]}(id, PRICE, address(0), BUYER_KEY);
        }
        _statusEq(id, IVoucherExchange.Status.Listed, "still listed");
        vm.assertEq(address(exchange).balance, 5 ether, "only the victim's escrow");
        vm.assertEq(buyer.balance, 2 * PRICE, "buyer kept its ETH");
    }

    /// @notice The instant (issuer-backed) path settles in the same call, so a zero-value buy would pay the seller
    /// straight out of the victim's escrow if the value check were missing.
    function test_paymentMismatch_cannotPayWithTheExchangesOwnBalance() public {
        uint256 id = _listBacked(seller, ETH, PRICE);
        uint256 sellerBefore = seller.balance;
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.WrongPayment.selector, 0, PRICE));
        exchange.buy(id, PRICE, address(0), BUYER_KEY);
        vm.assertEq(seller.balance, sellerBefore, "seller not paid from escrow");
        vm.assertEq(address(exchange).balance, 5 ether, "victim's escrow intact");
        _statusEq(victimOrder, IVoucherExchange.Status.AwaitingDelivery, "victim order untouched");
    }

    function test_paymentMismatch_tokenPathNeedsZeroEth() public {
        uint256 id = _listCoded(seller, address(usd), 100e6);
        _fund(address(usd), buyer, 100e6);
        vm.deal(buyer, 1);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.WrongPayment.selector, 1, 0));
        exchange.buy{value: 1}(id, 100e6, address(0), BUYER_KEY);
        vm.assertEq(usd.balanceOf(buyer), 100e6, "no tokens taken");
    }

    /// @notice A token buy pulls from the buyer; an empty or unapproved buyer fails even though the exchange holds
    /// 500 kUSD of someone else's escrow.
    function test_paymentMismatch_tokenPathCannotUseEscrow() public {
        uint256 id = _listBacked(seller, address(usd), 100e6);
        vm.prank(buyer);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(exchange), 0, 100e6)
        );
        exchange.buy(id, 100e6, address(0), BUYER_KEY);

        vm.prank(buyer);
        usd.approve(address(exchange), type(uint256).max);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, buyer, 0, 100e6));
        exchange.buy(id, 100e6, address(0), BUYER_KEY);

        vm.assertEq(usd.balanceOf(address(exchange)), 500e6, "escrow intact");
        vm.assertEq(usd.balanceOf(seller), 0, "seller not paid from escrow");
    }

    function test_paymentMismatch_tokenNotAllowListed_refused() public {
        address notAllowed = makeAddr("random token");
        uint256 tokenId = _mintCoded(seller);
        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.PayTokenNotAllowed.selector, notAllowed));
        exchange.list(tokenId, notAllowed, PRICE);
    }

    /// @notice The exchange has no `receive` or `fallback`: ETH cannot arrive outside a buy, so no stray balance
    /// can build up that nobody could ever claim.
    function test_paymentMismatch_strayEthRefused() public {
        vm.deal(other, 1 ether);
        vm.prank(other);
        (bool ok, ) = address(exchange).call{value: 1 ether}("");
        vm.assertFalse(ok, "plain ETH transfer accepted");
        vm.prank(other);
        (ok, ) = address(exchange).call{value: 1 ether}(hex"deadbeef");
        vm.assertFalse(ok, "unknown selector with ETH accepted");
        vm.assertEq(address(exchange).balance, 5 ether, "balance unchanged");
    }
}
