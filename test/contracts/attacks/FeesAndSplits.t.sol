// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IVoucherExchange} from "../../../contracts/interfaces/IVoucherExchange.sol";
import {ExchangeFixture} from "../utils/ExchangeFixture.sol";

/// @title Fees and splits
/// @notice Guards against the 0xSplits audit findings M-01/M-02 (2022: split rounding and self-referencing recipients
/// skimming or stranding funds) and referral-tree contest findings: the fee stays in [1%, 3%], every split conserves the
/// price to the wei, referral depth is capped at three, and self-referral, cycles and buyer/seller-as-distributor earn
/// nothing. Random prices, decimals, fees and depths are in test/FeeSplit.t.sol.
contract FeesAndSplitsTest is ExchangeFixture {
    uint256 private constant PRICE = 1 ether;
    uint256 private constant FEE = 2e16; // 2% of 1 ether

    address internal d4 = makeAddr("d4");
    address internal d5 = makeAddr("d5");

    function setUp() public {
        _deploy();
    }

    function test_feesAndSplits_feeSetterOutsideBounds_revertsForEveryone() public {
        uint16[6] memory bad = [uint16(0), 1, 99, 301, 10_000, type(uint16).max];
        for (uint256 i; i < bad.length; ++i) {
            vm.prank(owner);
            vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.FeeOutOfBounds.selector, bad[i]));
            exchange.setProtocolFee(bad[i]);
            vm.prank(other);
            vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, other));
            exchange.setProtocolFee(bad[i]);
        }
        vm.prank(other);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, other));
        exchange.setProtocolFee(150);
        vm.startPrank(owner);
        exchange.setProtocolFee(100);
        vm.assertEq(exchange.protocolFeeBps(), 100, "lower bound accepted");
        exchange.setProtocolFee(300);
        vm.assertEq(exchange.protocolFeeBps(), 300, "upper bound accepted");
        vm.stopPrank();

        uint16[2] memory outside = [uint16(99), 301];
        for (uint256 i; i < 2; ++i) {
            (address deployed, bytes memory revertData) = tryDeployCode(
                "VoucherExchange.sol:VoucherExchange",
                abi.encode(address(voucher), owner, treasury, arbiter, outside[i])
            );
            vm.assertEq(deployed, address(0), "deployed with an out-of-bounds fee");
            vm.assertEq(
                revertData,
                abi.encodeWithSelector(IVoucherExchange.FeeOutOfBounds.selector, outside[i]),
                "constructor reverts FeeOutOfBounds"
            );
        }
    }

    /// @dev Self-referral through a chain of fresh addresses is a rebate to oneself: the protocol keeps at least half
    /// of every fee whatever the owner sets, so such a chain never gets more than half back.
    function test_feesAndSplits_levelSharesAboveHalfTheFee_revert() public {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.InvalidLevelShares.selector, 5_001));
        exchange.setLevelShares([uint16(2500), 2500, 1]);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.InvalidLevelShares.selector, 10_000));
        exchange.setLevelShares([uint16(10_000), 0, 0]);
        vm.prank(owner);
        exchange.setLevelShares([uint16(5_000), 0, 0]);
        vm.assertEq(exchange.levelShares()[0], 5_000, "half the fee to level 1 allowed");

        // At the extreme the referrer takes half the fee and the treasury the other half; the parts sum to the price.
        _distributorChain();
        _buy(buyer, _listBacked(seller, ETH, PRICE), d3);
        vm.assertEq(exchange.credits(d3, ETH), FEE / 2, "level 1 takes half the fee");
        vm.assertEq(exchange.credits(d2, ETH) + exchange.credits(d1, ETH), 0, "levels 2 and 3 get 0%");
        vm.assertEq(exchange.credits(treasury, ETH), FEE - FEE / 2, "treasury keeps half");
        vm.assertEq(seller.balance, PRICE - FEE, "seller");
    }

    /// @notice A seller cannot buy its own listing to farm referral shares or fake sales volume.
    function test_feesAndSplits_sellerCannotBuyOwnListing() public {
        uint256 id = _listBacked(seller, ETH, PRICE);
        vm.deal(seller, PRICE);
        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.SellerCannotBuy.selector, id));
        exchange.buy{value: PRICE}(id, PRICE, address(0), BUYER_KEY);
    }

    function test_feesAndSplits_threeLevels_conserveToTheWei() public {
        _distributorChain();
        uint256 id = _listBacked(seller, ETH, PRICE);
        _buy(buyer, id, d3);
        vm.assertEq(seller.balance, PRICE - FEE, "seller");
        vm.assertEq(exchange.credits(d3, ETH), 6e15, "level 1: 30% of the fee");
        vm.assertEq(exchange.credits(d2, ETH), 3e15, "level 2: 15%");
        vm.assertEq(exchange.credits(d1, ETH), 1e15, "level 3: 5%");
        vm.assertEq(exchange.credits(treasury, ETH), 1e16, "treasury: the rest");
        vm.assertEq(address(exchange).balance, FEE, "the fee is all that stays");
    }

    function test_feesAndSplits_referralDepthCappedAtThree() public {
        _distributorChain();
        vm.prank(d4);
        exchange.joinDistributors(d3);
        vm.prank(d5);
        exchange.joinDistributors(d4);
        uint256 id = _listBacked(seller, ETH, PRICE);
        _buy(buyer, id, d5);
        vm.assertEq(exchange.credits(d5, ETH), 6e15, "level 1");
        vm.assertEq(exchange.credits(d4, ETH), 3e15, "level 2");
        vm.assertEq(exchange.credits(d3, ETH), 1e15, "level 3");
        vm.assertEq(exchange.credits(d2, ETH), 0, "level 4 gets nothing");
        vm.assertEq(exchange.credits(d1, ETH), 0, "level 5 gets nothing");
        vm.assertEq(exchange.credits(treasury, ETH), 1e16, "treasury");
    }

    function test_feesAndSplits_selfReferral_earnsNothing() public {
        vm.prank(buyer);
        exchange.joinDistributors(address(0));
        uint256 id = _listBacked(seller, ETH, PRICE);
        _buy(buyer, id, buyer);
        vm.assertEq(exchange.credits(buyer, ETH), 0, "buyer referred itself: nothing");
        vm.assertEq(exchange.credits(treasury, ETH), FEE, "treasury gets the whole fee");
    }

    function test_feesAndSplits_sellerAsDistributor_earnsNothing() public {
        vm.prank(seller);
        exchange.joinDistributors(address(0));
        vm.prank(d1);
        exchange.joinDistributors(seller);
        uint256 id = _listBacked(seller, ETH, PRICE);
        _buy(buyer, id, d1);
        vm.assertEq(exchange.credits(d1, ETH), 6e15, "the real referrer is paid");
        vm.assertEq(exchange.credits(seller, ETH), 0, "the seller as upline gets nothing");
        vm.assertEq(seller.balance, PRICE - FEE, "seller gets exactly its proceeds");
        vm.assertEq(exchange.credits(treasury, ETH), FEE - 6e15, "treasury gets the skipped share");
    }

    function test_feesAndSplits_buyerAsUpline_earnsNothing() public {
        vm.prank(buyer);
        exchange.joinDistributors(address(0));
        vm.prank(d1);
        exchange.joinDistributors(buyer);
        vm.prank(d2);
        exchange.joinDistributors(d1);
        uint256 id = _listBacked(seller, ETH, PRICE);
        _buy(buyer, id, d2);
        vm.assertEq(exchange.credits(d2, ETH), 6e15, "level 1");
        vm.assertEq(exchange.credits(d1, ETH), 3e15, "level 2");
        vm.assertEq(exchange.credits(buyer, ETH), 0, "the buyer at level 3 gets nothing");
        vm.assertEq(exchange.credits(treasury, ETH), FEE - 9e15, "treasury");
    }

    function test_feesAndSplits_cyclesImpossible() public {
        vm.prank(d1);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NotDistributor.selector, d1));
        exchange.joinDistributors(d1);
        _distributorChain();
        // d1 (the root) cannot re-join under its own descendant.
        vm.prank(d1);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.AlreadyDistributor.selector, d1));
        exchange.joinDistributors(d3);
        vm.prank(other);
        vm.expectRevert(abi.encodeWithSelector(IVoucherExchange.NotDistributor.selector, buyer));
        exchange.joinDistributors(buyer);
        (bool joined, address upline, ) = exchange.distributor(d1);
        vm.assertTrue(joined, "d1 joined");
        vm.assertEq(upline, address(0), "d1 is still a root");
    }

    function test_feesAndSplits_unknownReferrer_allToTreasury() public {
        uint256 id = _listBacked(seller, ETH, PRICE);
        _buy(buyer, id, other);
        vm.assertEq(exchange.credits(other, ETH), 0, "a non-distributor earns nothing");
        vm.assertEq(exchange.credits(treasury, ETH), FEE, "treasury");
    }

    /// @notice Splitting one purchase into many small ones cannot dodge the fee: each order rounds down by less than
    /// one base unit, and at MIN_PRICE the 1% fee is still 100 units, never zero.
    function test_feesAndSplits_manySmallOrdersVsOneLarge() public {
        vm.prank(owner);
        exchange.setProtocolFee(100);
        uint256 small = exchange.MIN_PRICE_FLOOR() + 99; // 10,099 units: 1% is 100.99, rounds to 100
        uint256 n = 20;
        for (uint256 i; i < n; ++i) _buy(buyer, _listBacked(seller, address(usd), small), address(0));
        uint256 feesSmall = exchange.credits(treasury, address(usd));
        vm.assertEq(feesSmall, n * 100, "each small order pays 100");

        vm.prank(treasury);
        exchange.claim(address(usd));
        _buy(buyer, _listBacked(seller, address(usd), n * small), address(0));
        uint256 feeLarge = exchange.credits(treasury, address(usd));
        vm.assertEq(feeLarge, (n * small * 100) / 10_000, "one large order");
        vm.assertLt(feeLarge - feesSmall, n, "splitting saves less than one unit per order");
        vm.assertEq(usd.balanceOf(seller), n * (small - 100) + n * small - feeLarge, "seller got the rest");
    }

    /// @notice The quote a buyer sees is exactly what the settlement pays.
    function test_feesAndSplits_quoteMatchesSettlement() public {
        _distributorChain();
        uint256 id = _listBacked(seller, address(usd), 123_456_789);
        vm.prank(buyer);
        IVoucherExchange.Split memory q = exchange.quote(id, d3);
        _buy(buyer, id, d3);
        vm.assertEq(usd.balanceOf(seller), q.sellerProceeds, "seller");
        vm.assertEq(exchange.credits(d3, address(usd)), q.distributorShares[0], "d3");
        vm.assertEq(exchange.credits(d2, address(usd)), q.distributorShares[1], "d2");
        vm.assertEq(exchange.credits(d1, address(usd)), q.distributorShares[2], "d1");
        vm.assertEq(exchange.credits(treasury, address(usd)), q.treasuryShare, "treasury");
        vm.assertEq(
            q.sellerProceeds +
                q.distributorShares[0] +
                q.distributorShares[1] +
                q.distributorShares[2] +
                q.treasuryShare,
            123_456_789,
            "conserved"
        );
    }
}
