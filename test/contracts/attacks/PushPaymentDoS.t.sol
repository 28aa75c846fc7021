// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherExchange} from "../../../contracts/interfaces/IVoucherExchange.sol";
import {BlocklistToken} from "../../../contracts/mocks/BlocklistToken.sol";
import {GasBurner} from "../../../contracts/mocks/GasBurner.sol";
import {RejectingReceiver} from "../../../contracts/mocks/RejectingReceiver.sol";
import {ExchangeFixture} from "../utils/ExchangeFixture.sol";

/// @title Push-payment denial of service
/// @notice Guards against Akutar (Apr 2022): one bidder contract that reverted on its refund blocked the refund loop and
/// locked 11,539 ETH ($34M) for good. Here a seller, buyer or distributor that reverts, burns all gas or is
/// blocklisted cannot stop confirm, finalize, resolve or a refund; its money waits as a claimable credit.
contract PushPaymentDoSTest is ExchangeFixture {
    uint256 private constant PRICE = 1 ether;
    uint256 private constant FEE = (PRICE * FEE_BPS) / 10_000;

    RejectingReceiver internal rejecter;
    GasBurner internal burner;
    BlocklistToken internal busd;

    event PaymentDeferred(address indexed account, address indexed token, uint256 amount);

    function setUp() public {
        _deploy();
        rejecter = RejectingReceiver(payable(deployCode("RejectingReceiver.sol:RejectingReceiver", "")));
        burner = GasBurner(payable(deployCode("GasBurner.sol:GasBurner", "")));
        busd = BlocklistToken(deployCode("BlocklistToken.sol:BlocklistToken", ""));
        vm.prank(owner);
        exchange.setPayToken(address(busd), 10_000);
    }

    // ─── A seller that cannot be paid ────────────────────────────────────────────────────────────────────────────

    /// @notice Paths: 0 confirm, 1 finalize, 2 resolve(release), 3 instant buy, 4 expireDispute. After a dispute the
    /// seller is owed the buyer's bond as well; both payments wait as one credit.
    function test_pushDoS_revertingSeller_everySettlementPathCompletes() public {
        for (uint256 path; path < 5; ++path) {
            uint256 snap = vm.snapshotState();
            uint256 id =
                path == 3 ? _listBacked(address(rejecter), ETH, PRICE) : _listCoded(address(rejecter), ETH, PRICE);
            if (path != 3) {
                _buy(buyer, id, address(0));
                _deliver(id);
            }
            uint256 bond;
            if (path == 2 || path == 4) bond = _dispute(id);
            if (path == 1 || path == 4) _pastDeadline(id);
            vm.expectEmit(address(exchange));
            emit PaymentDeferred(address(rejecter), ETH, PRICE - FEE);
            if (bond != 0) {
                vm.expectEmit(address(exchange));
                emit PaymentDeferred(address(rejecter), ETH, bond);
            }
            if (path == 0) _confirm(id);
            if (path == 1) exchange.finalize(id);
            if (path == 2) _resolve(id, false);
            if (path == 3) _buy(buyer, id, address(0));
            if (path == 4) exchange.expireDispute(id);

            _statusEq(id, IVoucherExchange.Status.Completed, "settled");
            vm.assertEq(voucher.ownerOf(exchange.trade(id).tokenId), buyer, "buyer has the voucher");
            vm.assertEq(address(rejecter).balance, 0, "nothing reached the seller");
            vm.assertEq(exchange.credits(address(rejecter), ETH), PRICE - FEE + bond, "proceeds (and bond) credited");
            vm.assertEq(exchange.credits(treasury, ETH), FEE, "fee credited");
            vm.assertEq(address(exchange).balance, PRICE + bond, "exchange holds exactly the credits");

            // The seller fixes its wallet and pulls its money.
            rejecter.setAccepting(true);
            vm.prank(address(rejecter));
            exchange.claim(ETH);
            vm.assertEq(address(rejecter).balance, PRICE - FEE + bond, "claimed");
            vm.assertEq(exchange.credits(address(rejecter), ETH), 0, "credit cleared");
            vm.revertToState(snap);
        }
    }

    function test_pushDoS_revertingSeller_cannotClaimWhileRefusing() public {
        uint256 id = _listBacked(address(rejecter), ETH, PRICE);
        _buy(buyer, id, address(0));
        vm.prank(address(rejecter));
        vm.expectRevert(abi.encodeWithSelector(RejectingReceiver.EthRefused.selector));
        exchange.claim(ETH);
        vm.assertEq(exchange.credits(address(rejecter), ETH), PRICE - FEE, "credit survives a failed claim");
    }

    // ─── A buyer that cannot be refunded ─────────────────────────────────────────────────────────────────────────

    /// @notice Paths: 0 cancelUndelivered (the price), 1 resolve(refund) (the price and the bond back).
    function test_pushDoS_revertingBuyer_everyRefundPathCompletes() public {
        for (uint256 path; path < 2; ++path) {
            uint256 snap = vm.snapshotState();
            uint256 id = _listCoded(seller, ETH, PRICE);
            _buy(address(rejecter), id, address(0));
            uint256 tokenId = exchange.trade(id).tokenId;
            uint256 bond;
            if (path == 1) {
                _deliver(id);
                bond = _dispute(id);
            } else {
                _pastDeadline(id);
            }
            vm.expectEmit(address(exchange));
            emit PaymentDeferred(address(rejecter), ETH, PRICE + bond);
            if (path == 0) exchange.cancelUndelivered(id);
            if (path == 1) _resolve(id, true);

            _statusEq(id, IVoucherExchange.Status.Refunded, "refunded");
            vm.assertEq(voucher.ownerOf(tokenId), seller, "voucher back with the seller");
            vm.assertEq(exchange.credits(address(rejecter), ETH), PRICE + bond, "refund credited");
            vm.assertEq(exchange.credits(treasury, ETH), 0, "no fee on a refund");
            vm.assertEq(address(exchange).balance, PRICE + bond, "exchange holds exactly the credit");
            vm.revertToState(snap);
        }
    }

    /// @notice A buyer that refuses ETH and never lets its dispute be ruled on cannot hold the seller's money: the
    /// timeout settles the order and pays the seller at once, bond included.
    function test_pushDoS_revertingBuyer_cannotBlockTheDisputeTimeout() public {
        uint256 id = _listCoded(seller, ETH, PRICE);
        _buy(address(rejecter), id, address(0));
        _deliver(id);
        uint256 bond = _dispute(id);
        _pastDeadline(id);
        uint256 sellerBefore = seller.balance;
        exchange.expireDispute(id);
        _statusEq(id, IVoucherExchange.Status.Completed, "settled");
        vm.assertEq(seller.balance, sellerBefore + PRICE - FEE + bond, "seller paid, bond included");
        vm.assertEq(voucher.ownerOf(exchange.trade(id).tokenId), address(rejecter), "the buyer has the voucher");
        vm.assertEq(address(exchange).balance, FEE, "exchange holds exactly the fee credit");
    }

    // ─── Gas griefing ────────────────────────────────────────────────────────────────────────────────────────────

    /// @notice A receiver that burns every unit of gas it gets costs the caller at most the 30,000-gas stipend: the
    /// settlement and the refund go through with millions of gas still unspent.
    function test_pushDoS_gasBurningSellerAndBuyer_costBoundedGas() public {
        uint256 sold = _listCoded(address(burner), ETH, PRICE);
        _buy(buyer, sold, address(0));
        _deliver(sold);
        vm.prank(buyer);
        uint256 gasBefore = gasleft();
        exchange.confirm{gas: 10_000_000}(sold);
        uint256 settleGas = gasBefore - gasleft();
        vm.assertLt(settleGas, 1_000_000, "the burner took more than its stipend");
        vm.assertEq(exchange.credits(address(burner), ETH), PRICE - FEE, "proceeds credited");

        uint256 refunded = _listCoded(seller, ETH, PRICE);
        _buy(address(burner), refunded, address(0));
        _pastDeadline(refunded);
        gasBefore = gasleft();
        exchange.cancelUndelivered{gas: 10_000_000}(refunded);
        vm.assertLt(gasBefore - gasleft(), 1_000_000, "the burner took more than its stipend");
        vm.assertEq(exchange.credits(address(burner), ETH), 2 * PRICE - FEE, "refund credited");

        // Its own claim forwards all gas and burns it: it fails, and only the burner's credit is affected (none).
        vm.prank(address(burner));
        (bool ok, ) = address(exchange).call{gas: 2_000_000}(abi.encodeCall(IVoucherExchange.claim, (ETH)));
        vm.assertFalse(ok, "a gas-burning claim cannot succeed");
        vm.assertEq(exchange.credits(address(burner), ETH), 2 * PRICE - FEE, "credit intact");
        vm.assertEq(address(exchange).balance, 2 * PRICE, "exchange holds exactly the credits");
    }

    // ─── Blocklisted token accounts (USDC, USDT) ─────────────────────────────────────────────────────────────────

    function test_pushDoS_blocklistedSeller_settlesAndClaimsAfterUnblock() public {
        uint256 price = 100e6;
        uint256 fee = (price * FEE_BPS) / 10_000;
        uint256 id = _listCoded(seller, address(busd), price);
        _buy(buyer, id, address(0));
        _deliver(id);
        busd.setBlocked(seller, true);

        vm.expectEmit(address(exchange));
        emit PaymentDeferred(seller, address(busd), price - fee);
        _confirm(id);
        _statusEq(id, IVoucherExchange.Status.Completed, "settled");
        vm.assertEq(busd.balanceOf(seller), 0, "nothing reached the blocked seller");
        vm.assertEq(exchange.credits(seller, address(busd)), price - fee, "proceeds credited");

        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(BlocklistToken.Blocklisted.selector, seller));
        exchange.claim(address(busd));

        busd.setBlocked(seller, false);
        vm.prank(seller);
        exchange.claim(address(busd));
        vm.assertEq(busd.balanceOf(seller), price - fee, "claimed after unblock");
        vm.assertEq(busd.balanceOf(address(exchange)), fee, "only the treasury's fee remains");
    }

    function test_pushDoS_blocklistedBuyer_refundCredited() public {
        uint256 price = 100e6;
        uint256 id = _listCoded(seller, address(busd), price);
        _buy(buyer, id, address(0));
        busd.setBlocked(buyer, true);
        _pastDeadline(id);

        vm.expectEmit(address(exchange));
        emit PaymentDeferred(buyer, address(busd), price);
        exchange.cancelUndelivered(id);
        _statusEq(id, IVoucherExchange.Status.Refunded, "refunded");
        vm.assertEq(exchange.credits(buyer, address(busd)), price, "refund credited");
        vm.assertEq(busd.balanceOf(address(exchange)), price, "held for the buyer");
    }

    // ─── Distributors are never pushed to ────────────────────────────────────────────────────────────────────────

    function test_pushDoS_revertingDistributor_neverInTheSettlementPath() public {
        vm.prank(address(rejecter));
        exchange.joinDistributors(address(0));
        uint256 id = _listBacked(seller, ETH, PRICE);
        _buy(buyer, id, address(rejecter));
        vm.assertEq(exchange.credits(address(rejecter), ETH), (FEE * 3000) / 10_000, "level-1 share credited");
        vm.assertEq(exchange.credits(treasury, ETH), FEE - (FEE * 3000) / 10_000, "treasury share");
        vm.assertEq(seller.balance, PRICE - FEE, "seller paid at once");
    }

    /// @notice One unpayable seller among many: every other order settles and is paid immediately.
    function test_pushDoS_oneBadSellerDoesNotBlockOthers() public {
        uint256[] memory ids = new uint256[](5);
        for (uint256 i; i < 5; ++i) {
            address s = i == 2 ? address(rejecter) : seller;
            ids[i] = _listCoded(s, ETH, PRICE);
            _buy(buyer, ids[i], address(0));
            _deliver(ids[i]);
        }
        vm.warp(block.timestamp + 3 days + 1);
        for (uint256 i; i < 5; ++i) exchange.finalize(ids[i]);
        vm.assertEq(seller.balance, 4 * (PRICE - FEE), "honest sellers paid");
        vm.assertEq(exchange.credits(address(rejecter), ETH), PRICE - FEE, "bad seller credited");
        vm.assertEq(address(exchange).balance, PRICE - FEE + 5 * FEE, "exchange holds exactly the credits");
    }
}
