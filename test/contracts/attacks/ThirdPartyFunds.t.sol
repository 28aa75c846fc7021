// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IVoucherExchange} from "../../../contracts/interfaces/IVoucherExchange.sol";
import {ExchangeFixture} from "../utils/ExchangeFixture.sol";

/// @title Funds only from msg.sender
/// @notice Guards against Quixotic (Jul 2022, ~$100k: `fillSellOrder` pulled ERC-20 from any address that had
/// approved the marketplace): a victim's standing token approval and voucher approval-for-all cannot be spent by
/// anyone else, and one account's credit, listing or order cannot be touched by another.
contract ThirdPartyFundsTest is ExchangeFixture {
    address internal victim = makeAddr("victim");
    address internal attacker = makeAddr("attacker");

    function setUp() public {
        _deploy();
        // The victim trusts the exchange with everything.
        _fund(address(usd), victim, 1_000_000e6);
        vm.prank(victim);
        voucher.setApprovalForAll(address(exchange), true);
    }

    function test_thirdPartyFunds_buyPullsOnlyFromCaller() public {
        uint256 id = _listCoded(attacker, address(usd), 1_000e6);
        // The attacker buys its own-controlled listing through a second account with no funds of its own.
        address accomplice = makeAddr("accomplice");
        vm.prank(accomplice);
        usd.approve(address(exchange), type(uint256).max);
        vm.prank(accomplice);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, accomplice, 0, 1_000e6));
        exchange.buy(id, 1_000e6, address(0), BUYER_KEY);
        vm.assertEq(usd.balanceOf(victim), 1_000_000e6, "victim's approval was not spent");
        vm.assertEq(usd.allowance(victim, address(exchange)), type(uint256).max, "victim's allowance untouched");
    }

    function test_thirdPartyFunds_cannotListSomeoneElsesVoucher() public {
        uint256 tokenId = _mintCoded(victim);
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NotVoucherOwner.selector, attacker, tokenId));
        exchange.list(tokenId, ETH, 1 ether);

        uint256[] memory ids = new uint256[](2);
        ids[0] = _mintCoded(attacker);
        ids[1] = tokenId;
        uint256[] memory prices = new uint256[](2);
        prices[0] = 1 ether;
        prices[1] = 1 ether;
        vm.startPrank(attacker);
        voucher.setApprovalForAll(address(exchange), true);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NotVoucherOwner.selector, attacker, tokenId));
        exchange.listBatch(ids, ETH, prices);
        vm.stopPrank();
        vm.assertEq(voucher.ownerOf(tokenId), victim, "victim keeps its voucher");
    }

    function test_thirdPartyFunds_cannotClaimAnotherAccountsCredit() public {
        uint256 id = _listBacked(victim, ETH, 1 ether);
        vm.prank(victim);
        exchange.joinDistributors(address(0));
        _buy(buyer, _listBacked(seller, ETH, 1 ether), victim);
        uint256 credit = exchange.credits(victim, ETH);
        vm.assertGt(credit, 0, "victim earned a referral credit");

        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NothingToClaim.selector, attacker, ETH));
        exchange.claim(ETH);
        vm.assertEq(exchange.credits(victim, ETH), credit, "victim's credit untouched");
        _statusEq(id, IVoucherExchange.Status.Listed, "victim's listing untouched");
    }

    function test_thirdPartyFunds_cannotActOnAnotherAccountsListingOrOrder() public {
        uint256 listing = _listCoded(victim, ETH, 1 ether);
        uint256 order = _listCoded(seller, ETH, 1 ether);
        _buy(victim, order, address(0));

        vm.startPrank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NotSeller.selector, attacker, listing));
        exchange.cancelListing(listing);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NotSeller.selector, attacker, listing));
        exchange.updatePrice(listing, 10_000);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NotSeller.selector, attacker, order));
        exchange.deliverCode(order, hex"bad0");
        vm.stopPrank();

        _deliver(order);
        vm.startPrank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NotBuyer.selector, attacker, order));
        exchange.confirm(order);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NotBuyer.selector, attacker, order));
        exchange.dispute(order, SEALED_EVIDENCE);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NotArbiter.selector, attacker));
        exchange.resolve(order, true);
        vm.stopPrank();
        vm.assertEq(exchange.trade(listing).price, 1 ether, "price unchanged");
        _statusEq(order, IVoucherExchange.Status.Delivered, "order unchanged");
    }

    /// @notice A dispute bond is pulled from the disputing buyer only: a buyer with no funds of its own cannot make
    /// the victim's standing approval pay it, and nobody but the buyer can open (and so fund) a dispute.
    function test_thirdPartyFunds_disputeBondPulledOnlyFromTheBuyer() public {
        uint256 order = _listCoded(seller, address(usd), 1_000e6);
        _buy(attacker, order, address(0));
        _deliver(order);
        uint256 bond = exchange.disputeBond(order);
        vm.assertEq(usd.balanceOf(attacker), 0, "the attacker spent all it had on the price");
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, attacker, 0, bond));
        exchange.dispute(order, SEALED_EVIDENCE);
        vm.prank(victim);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NotBuyer.selector, victim, order));
        exchange.dispute(order, SEALED_EVIDENCE);
        vm.assertEq(usd.balanceOf(victim), 1_000_000e6, "victim's approval was not spent");
        _statusEq(order, IVoucherExchange.Status.Delivered, "order unchanged");
    }

    /// @notice A seller cannot make the victim its buyer: the buyer of an order is always the caller of `buy`.
    function test_thirdPartyFunds_buyerIsAlwaysTheCaller() public {
        uint256 instant = _listBacked(attacker, address(usd), 1_000e6);
        _buy(buyer, instant, address(0));
        vm.assertEq(voucher.ownerOf(exchange.trade(instant).tokenId), buyer, "instant voucher to the payer");
        uint256 coded = _listCoded(attacker, address(usd), 1_000e6);
        _buy(buyer, coded, address(0));
        vm.assertEq(exchange.trade(coded).buyer, buyer, "buyer of record is the payer");
        vm.assertEq(usd.balanceOf(victim), 1_000_000e6, "victim untouched");
    }
}
