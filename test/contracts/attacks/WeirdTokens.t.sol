// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherExchange} from "../../../contracts/interfaces/IVoucherExchange.sol";
import {FeeOnTransferToken} from "../../../contracts/mocks/FeeOnTransferToken.sol";
import {NoReturnToken} from "../../../contracts/mocks/NoReturnToken.sol";
import {BlocklistToken} from "../../../contracts/mocks/BlocklistToken.sol";
import {ExchangeFixture} from "../utils/ExchangeFixture.sol";

/// @title Weird ERC-20s
/// @notice Guards against Balancer (Jun 2020, ~$500k: a fee-on-transfer token drained pools that trusted the amount
/// sent) and the USDT missing-return trap that froze tokens in contracts calling a plain IERC20: fee-on-transfer is
/// refused by the balance-delta check, missing-return tokens work through SafeERC20, and `balanceOf` is never trusted
/// for accounting.
contract WeirdTokensTest is ExchangeFixture {
    FeeOnTransferToken internal feeToken;
    NoReturnToken internal noReturn;
    BlocklistToken internal busd;

    function setUp() public {
        _deploy();
        feeToken = FeeOnTransferToken(deployCode("FeeOnTransferToken.sol:FeeOnTransferToken", ""));
        noReturn = NoReturnToken(deployCode("NoReturnToken.sol:NoReturnToken", ""));
        busd = BlocklistToken(deployCode("BlocklistToken.sol:BlocklistToken", ""));
        vm.startPrank(owner);
        exchange.setPayToken(address(feeToken), 10_000);
        exchange.setPayToken(address(noReturn), 10_000);
        exchange.setPayToken(address(busd), 10_000);
        vm.stopPrank();
    }

    function test_weirdTokens_feeOnTransfer_refusedByBalanceDelta() public {
        uint256 price = 100e18;
        uint256 id = _listCoded(seller, address(feeToken), price);
        _fund(address(feeToken), buyer, price);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.PaymentShortfall.selector, 99e18, price));
        exchange.buy(id, price, address(0), BUYER_KEY);
        _statusEq(id, IVoucherExchange.Status.Listed, "still listed");
        vm.assertEq(feeToken.balanceOf(buyer), price, "nothing taken");
        vm.assertEq(feeToken.balanceOf(address(exchange)), 0, "nothing held");
    }

    /// @notice A token whose fee switch is off at purchase and on by the dispute (USDT can do this at any time) cannot
    /// underpay the bond: the balance-delta check refuses the dispute, nothing is taken and the order stays delivered;
    /// once the fee is off again the same buyer disputes and the exchange holds exactly price + bond.
    function test_weirdTokens_feeOnTransfer_cannotUnderpayTheBond() public {
        uint256 price = 100e18;
        feeToken.setFeeBps(0);
        uint256 id = _listCoded(seller, address(feeToken), price);
        _buy(buyer, id, address(0));
        _deliver(id);
        uint256 bond = exchange.disputeBond(id);
        vm.assertEq(bond, 10e18, "a 10% bond");
        feeToken.setFeeBps(100);
        _fund(address(feeToken), buyer, bond);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.PaymentShortfall.selector, 9.9e18, bond));
        exchange.dispute(id, SEALED_EVIDENCE);
        _statusEq(id, IVoucherExchange.Status.Delivered, "still delivered");
        vm.assertEq(feeToken.balanceOf(buyer), bond, "nothing taken");
        vm.assertEq(feeToken.balanceOf(address(exchange)), price, "only the escrowed price is held");

        feeToken.setFeeBps(0);
        vm.prank(buyer);
        exchange.dispute(id, SEALED_EVIDENCE);
        _statusEq(id, IVoucherExchange.Status.Disputed, "disputed with the full bond");
        vm.assertEq(feeToken.balanceOf(address(exchange)), price + bond, "price and bond held in full");
    }

    /// @notice USDT-style `transfer`/`transferFrom` with no return value: pull, push, refund and claim all work.
    function test_weirdTokens_missingReturn_fullLifecycleWorks() public {
        uint256 price = 250e6;
        uint256 fee = (price * FEE_BPS) / 10_000;
        uint256 sold = _listCoded(seller, address(noReturn), price);
        _fund(address(noReturn), buyer, 2 * price);
        vm.prank(buyer);
        exchange.buy(sold, price, address(0), BUYER_KEY);
        _deliver(sold);
        _confirm(sold);
        vm.assertEq(noReturn.balanceOf(seller), price - fee, "seller pushed");

        uint256 refunded = _listCoded(seller, address(noReturn), price);
        vm.prank(buyer);
        exchange.buy(refunded, price, address(0), BUYER_KEY);
        _pastDeadline(refunded);
        exchange.cancelUndelivered(refunded);
        vm.assertEq(noReturn.balanceOf(buyer), price, "buyer refunded");

        // A dispute bond is pulled and paid back the same way: refunded with the price, or paid to the seller.
        uint256 bond = price / 10;
        uint256 disputed = _listCoded(seller, address(noReturn), price);
        vm.prank(buyer);
        exchange.buy(disputed, price, address(0), BUYER_KEY);
        _deliver(disputed);
        vm.assertEq(_dispute(disputed), bond, "bond pulled");
        vm.assertEq(noReturn.balanceOf(address(exchange)), price + bond + fee, "price, bond and fee held");
        _resolve(disputed, true);
        vm.assertEq(noReturn.balanceOf(buyer), price + bond, "price and bond refunded");
        uint256 released = _listCoded(seller, address(noReturn), price);
        _buy(buyer, released, address(0));
        _deliver(released);
        _dispute(released);
        uint256 sellerBefore = noReturn.balanceOf(seller);
        _resolve(released, false);
        vm.assertEq(noReturn.balanceOf(seller), sellerBefore + price - fee + bond, "seller paid with the bond");

        vm.prank(treasury);
        exchange.claim(address(noReturn));
        vm.assertEq(noReturn.balanceOf(treasury), 2 * fee, "treasury claimed");
        vm.assertEq(noReturn.balanceOf(address(exchange)), 0, "drained to zero");
    }

    /// @notice Tokens sent straight to the exchange (a donation, a rebase, a mistaken transfer) change no payout:
    /// every amount comes from the order's recorded price, so the surplus just stays where it is.
    function test_weirdTokens_balanceOfNeverTrusted() public {
        usd.faucet(address(exchange), 777e6);
        uint256 price = 100e6;
        uint256 fee = (price * FEE_BPS) / 10_000;
        uint256 id = _listCoded(seller, address(usd), price);
        _buy(buyer, id, address(0));
        _deliver(id);
        _confirm(id);
        vm.assertEq(usd.balanceOf(seller), price - fee, "seller paid the price less the fee, no more");
        vm.prank(treasury);
        exchange.claim(address(usd));
        vm.assertEq(usd.balanceOf(treasury), fee, "treasury paid its fee, no more");
        vm.assertEq(usd.balanceOf(address(exchange)), 777e6, "the stray tokens are all that is left");
    }

    /// @notice A buyer the token blocks cannot pay, so it cannot open an order that could never refund.
    function test_weirdTokens_blocklistedBuyer_cannotPay() public {
        uint256 id = _listCoded(seller, address(busd), 50e6);
        _fund(address(busd), buyer, 50e6);
        busd.setBlocked(buyer, true);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(BlocklistToken.Blocklisted.selector, buyer));
        exchange.buy(id, 50e6, address(0), BUYER_KEY);
        _statusEq(id, IVoucherExchange.Status.Listed, "still listed");
    }

    /// @notice Only the owner's allow-list decides which tokens can be listed; removing one stops new listings in it.
    function test_weirdTokens_onlyAllowListedTokensCanBeListed() public {
        uint256 tokenId = _mintCoded(seller);
        vm.prank(owner);
        exchange.setPayToken(address(feeToken), 0);
        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.PayTokenNotAllowed.selector, address(feeToken)));
        exchange.list(tokenId, address(feeToken), 1e18);
        address[] memory allowed = exchange.payTokens();
        vm.assertEq(allowed.length, 3, "usd, noReturn, busd");
        for (uint256 i; i < allowed.length; ++i) vm.assertTrue(allowed[i] != address(feeToken), "removed");
        // ETH is always accepted: the owner can only move its minimum, never disallow it.
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.MinPriceTooLow.selector, 0));
        exchange.setPayToken(address(0), 0);
    }
}
