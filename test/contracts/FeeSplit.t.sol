// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IVoucherExchange} from "../../contracts/interfaces/IVoucherExchange.sol";
import {ExchangeFixture} from "./utils/ExchangeFixture.sol";

/// @title Fee and split arithmetic, fuzzed
/// @notice Conservation to the wei and fee bounds for prices from MIN_PRICE to 1e30, fees of 100–300 bps, referral
/// depths 0–3, in ETH and in 6- and 18-decimal tokens: once through the pure split (`previewSplit`, any price) and
/// once through real settlements (prices up to the listing cap, 2^96 - 1; above it a listing must revert).
/// 5,000 runs each by default (hardhat.config.ts `test.solidity.fuzz.runs`; KAQUAN_FUZZ_SCALE=10 for 50,000).
contract FeeSplitTest is ExchangeFixture {
    uint256 private constant MAX_FUZZ_PRICE = 1e30;
    uint256 private constant MAX_LISTING_PRICE = type(uint96).max;

    address[3] internal chain;
    IERC20 internal token6;
    IERC20 internal token18;

    function setUp() public {
        _deploy();
        token6 = IERC20(deployCode("MockToken.sol:MockToken", abi.encode(uint8(6))));
        token18 = IERC20(deployCode("MockToken.sol:MockToken", abi.encode(uint8(18))));
        vm.startPrank(owner);
        exchange.setPayToken(address(token6), 10_000);
        exchange.setPayToken(address(token18), 10_000);
        vm.stopPrank();
        chain = [d1, d2, d3];
    }

    /// @dev A price spread over every order of magnitude from MIN_PRICE to 1e30 (a plain bound would put 92% of
    /// the runs above 1e29).
    function _price(uint256 raw, uint256 magnitude, uint256 cap) internal view returns (uint256) {
        uint256 top = 10 ** bound(magnitude, 4, 30);
        if (top > cap) top = cap;
        return bound(raw, exchange.MIN_PRICE_FLOOR(), top);
    }

    /// @dev Joins `depth` distributors as a chain (d1 root … d3) and returns the referrer: the deepest one, or zero.
    function _referral(uint256 depth) internal returns (address referrer) {
        for (uint256 i; i < depth; ++i) {
            vm.prank(chain[i]);
            exchange.joinDistributors(i == 0 ? address(0) : chain[i - 1]);
            referrer = chain[i];
        }
    }

    /// @dev The split as the rules state it, computed independently of the contract.
    function _expected(
        uint256 price,
        uint256 feeBps,
        uint256 depth
    ) internal view returns (uint256 fee, uint256[3] memory shares, uint256 treasuryShare) {
        fee = (price * feeBps) / 10_000;
        uint16[3] memory levels = exchange.levelShares();
        treasuryShare = fee;
        for (uint256 i; i < depth; ++i) {
            // Level 1 is the referrer (the deepest distributor), level 2 its upline, and so on.
            shares[i] = (fee * levels[i]) / 10_000;
            treasuryShare -= shares[i];
        }
    }

    function _checkFeeBounds(uint256 price, uint256 fee, uint256 feeBps) internal pure {
        require(fee * 10_000 <= price * feeBps && price * feeBps < (fee + 1) * 10_000, "fee is not floor(price * bps)");
        require(fee * 10_000 <= price * 300, "fee above 3%");
        require((fee + 1) * 10_000 > price * 100, "fee below 1%");
        require(fee > 0, "fee rounded to zero");
    }

    /// @notice The pure split for any price up to 1e30: exact to the wei, fee within bounds, levels as the rules say.
    function testFuzz_split_conservesToTheWei(uint256 raw, uint256 magnitude, uint16 feeBps, uint8 depth) public {
        uint256 price = _price(raw, magnitude, MAX_FUZZ_PRICE);
        feeBps = uint16(bound(feeBps, 100, 300));
        depth = uint8(bound(depth, 0, 3));
        address referrer = _referral(depth);

        IVoucherExchange.Split memory s = exchange.previewSplit(price, feeBps, referrer, buyer, seller);
        (uint256 fee, uint256[3] memory shares, uint256 treasuryShare) = _expected(price, feeBps, depth);
        _checkFeeBounds(price, s.fee, feeBps);
        vm.assertEq(s.fee, fee, "fee");
        vm.assertEq(s.sellerProceeds, price - fee, "seller proceeds");
        for (uint256 level; level < 3; ++level) {
            vm.assertEq(s.distributorShares[level], shares[level], "level share");
            vm.assertEq(s.distributors[level], level < depth ? chain[depth - 1 - level] : address(0), "level account");
        }
        vm.assertEq(s.treasuryShare, treasuryShare, "treasury share");
        vm.assertEq(
            s.sellerProceeds +
                s.distributorShares[0] +
                s.distributorShares[1] +
                s.distributorShares[2] +
                s.treasuryShare,
            price,
            "parts do not sum to the price"
        );
    }

    /// @notice Real settlements in ETH, a 6-decimal and an 18-decimal token: every wei the buyer paid lands with the
    /// seller, the referral levels or the treasury, and nothing else stays in the exchange.
    function testFuzz_settlement_conservesToTheWei(
        uint256 raw,
        uint256 magnitude,
        uint16 feeBps,
        uint8 depth,
        uint8 asset
    ) public {
        uint256 price = _price(raw, magnitude, MAX_FUZZ_PRICE);
        feeBps = uint16(bound(feeBps, 100, 300));
        depth = uint8(bound(depth, 0, 3));
        asset = uint8(bound(asset, 0, 2));
        address token =
            asset == 0
                ? ETH
                : asset == 1
                    ? address(token6)
                    : address(token18);
        vm.prank(owner);
        exchange.setProtocolFee(feeBps);
        address referrer = _referral(depth);
        uint256 tokenId = _issueBacked(seller);

        if (price > MAX_LISTING_PRICE) {
            vm.startPrank(seller);
            voucher.setApprovalForAll(address(exchange), true);
            vm.expectRevert(
                abi.encodeWithSelector(IVoucherExchange.PriceOutOfRange.selector, price, exchange.MIN_PRICE_FLOOR())
            );
            exchange.list(tokenId, token, price);
            vm.stopPrank();
            return;
        }
        _buy(buyer, _list(seller, tokenId, token, price), referrer);
        _checkSettlement(token, price, feeBps, depth);
    }

    function _checkSettlement(address token, uint256 price, uint256 feeBps, uint256 depth) internal view {
        (uint256 fee, uint256[3] memory shares, uint256 treasuryShare) = _expected(price, feeBps, depth);
        _checkFeeBounds(price, fee, feeBps);
        vm.assertEq(_balanceOf(token, seller), price - fee, "seller paid price - fee");
        uint256 credited = treasuryShare;
        for (uint256 level; level < depth; ++level) {
            vm.assertEq(exchange.credits(chain[depth - 1 - level], token), shares[level], "level credited its share");
            credited += shares[level];
        }
        vm.assertEq(exchange.credits(treasury, token), treasuryShare, "treasury credited the rest");
        vm.assertEq(_balanceOf(token, address(exchange)), credited, "exchange holds exactly the credits");
        vm.assertEq(price - fee + credited, price, "conserved to the wei");
    }

    /// @notice Splitting one purchase into n small ones saves less than one base unit of fee per order.
    function testFuzz_split_manySmallOrdersVsOneLarge(
        uint256 raw,
        uint256 magnitude,
        uint16 feeBps,
        uint8 n
    ) public view {
        uint256 small = _price(raw, magnitude, MAX_FUZZ_PRICE / 20);
        feeBps = uint16(bound(feeBps, 100, 300));
        n = uint8(bound(n, 2, 20));
        uint256 feeSmall = exchange.previewSplit(small, feeBps, address(0), buyer, seller).fee;
        uint256 feeLarge = exchange.previewSplit(small * n, feeBps, address(0), buyer, seller).fee;
        vm.assertLe(n * feeSmall, feeLarge, "many small orders pay more than one large one");
        vm.assertLt(feeLarge - n * feeSmall, n, "splitting saves a whole unit per order or more");
        vm.assertGe(feeSmall, 1, "a small order pays a fee");
    }
}
