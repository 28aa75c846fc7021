// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IVoucherExchange} from "../../../contracts/interfaces/IVoucherExchange.sol";
import {IVoucherOffers} from "../../../contracts/interfaces/IVoucherOffers.sol";
import {IVoucherToken} from "../../../contracts/interfaces/IVoucherToken.sol";
import {IExchange, ITestStablecoin} from "./Interfaces.sol";
import {Test} from "./Test.sol";

/// @title ExchangeFixture
/// @notice The whole system for Solidity tests: voucher token with a coded brand (1) and an issuer-backed brand (2),
/// both accepting any face value up to `MAX_FACE_VALUE`, the token's exchange set, the exchange at a 2% fee with the
/// arbiter's evidence key published and the recyclers' offers contract named, the 6-decimal test stablecoin allow-listed, named accounts, and one-line helpers
/// for each step of a trade (every coded mint a fresh card number; every dispute paying its bond). Every helper acts
/// through `vm.prank`, so any address (EOA or attack contract) can play any role.
abstract contract ExchangeFixture is Test {
    uint16 internal constant FEE_BPS = 200;
    uint256 internal constant START = 1_700_000_000;
    bytes32 internal constant BUYER_KEY = keccak256("buyer x25519 key");
    /// @dev What a buyer's evidence looks like on chain: the order's secret key sealed to `ARBITER_KEY` (opaque here).
    bytes internal constant SEALED_EVIDENCE = hex"5ea1ed0e0de1dace";
    bytes32 internal constant ARBITER_KEY = keccak256("arbiter x25519 public key");
    address internal constant ETH = address(0);
    /// @dev The minimum price the fixture sets for ETH and the stablecoin: the contract's floor, so tests can price in
    /// small units (the ETH default, 0.0001 ether, has its own tests).
    uint256 internal constant MIN_PRICE = 10_000;
    uint256 internal constant BRAND_CODED = 1;
    uint256 internal constant BRAND_BACKED = 2;
    /// @dev The fixture brands' maximum face value (10,000.00): every face value the tests use is below it.
    uint128 internal constant MAX_FACE_VALUE = 1_000_000;

    address internal owner = makeAddr("owner");
    address internal treasury = makeAddr("treasury");
    address internal arbiter = makeAddr("arbiter");
    address internal issuer = makeAddr("issuer");
    address internal seller = makeAddr("seller");
    address internal buyer = makeAddr("buyer");
    address internal d1 = makeAddr("d1");
    address internal d2 = makeAddr("d2");
    address internal d3 = makeAddr("d3");
    address internal other = makeAddr("other");

    IVoucherToken internal voucher;
    IExchange internal exchange;
    IVoucherOffers internal offers;
    ITestStablecoin internal usd;
    uint64 internal expiresAt;
    /// @dev Card numbers handed out so far: each coded mint gets the next one, so no two share a card fingerprint.
    uint256 internal cardNumbers;

    function _deploy() internal {
        vm.warp(START);
        voucher = IVoucherToken(deployCode("VoucherToken.sol:VoucherToken", abi.encode(owner)));
        exchange = IExchange(
            deployCode(
                "VoucherExchange.sol:VoucherExchange",
                abi.encode(address(voucher), owner, treasury, arbiter, FEE_BPS)
            )
        );
        usd = ITestStablecoin(deployCode("TestStablecoin.sol:TestStablecoin", abi.encode("Kaquan Test USD", "kUSD")));
        offers = IVoucherOffers(
            deployCode("VoucherOffers.sol:VoucherOffers", abi.encode(address(voucher), address(exchange)))
        );
        vm.startPrank(owner);
        exchange.setOffers(address(offers));
        exchange.setPayToken(address(usd), uint96(MIN_PRICE));
        exchange.setPayToken(ETH, uint96(MIN_PRICE));
        voucher.registerBrand("JD E-Card", "e-commerce", "CNY", issuer);
        voucher.registerBrand("Starbucks", "coffee", "USD", issuer);
        voucher.setDenominations(BRAND_CODED, new uint128[](0), MAX_FACE_VALUE);
        voucher.setDenominations(BRAND_BACKED, new uint128[](0), MAX_FACE_VALUE);
        voucher.setExchange(address(exchange));
        vm.stopPrank();
        vm.prank(arbiter);
        exchange.setArbiterKey(ARBITER_KEY);
        expiresAt = uint64(START + 180 days);
        vm.label(address(exchange), "exchange");
        vm.label(address(voucher), "voucher");
        vm.label(address(usd), "usd");
        vm.label(address(offers), "offers");
    }

    // ─── Vouchers and listings ───────────────────────────────────────────────────────────────────────────────────

    /// @dev The card-number fingerprint a coded voucher carries: keccak256(abi.encodePacked("kaquan.card", brandId,
    /// cardNumber)).
    function _cardHash(uint256 brandId, string memory cardNumber) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked("kaquan.card", brandId, cardNumber));
    }

    /// @dev The fingerprint of the next fresh card number (and uses it up).
    function _nextCardHash() internal returns (bytes32) {
        return _cardHash(BRAND_CODED, string.concat("6000-", vm.toString(++cardNumbers)));
    }

    /// @dev A fresh coded voucher (brand 1, 500.00 CNY, a card number never used before) minted by and to `to`.
    function _mintCoded(address to) internal returns (uint256 tokenId) {
        bytes32 cardHash = _nextCardHash();
        vm.prank(to);
        tokenId = voucher.mint(BRAND_CODED, 50_000, expiresAt, cardHash, keccak256("code"), hex"1234");
    }

    function _issueBacked(address to) internal returns (uint256 tokenId) {
        vm.prank(issuer);
        tokenId = voucher.issue(to, BRAND_BACKED, 2_500, expiresAt);
    }

    function _list(address from, uint256 tokenId, address payToken, uint256 price) internal returns (uint256 id) {
        vm.startPrank(from);
        voucher.setApprovalForAll(address(exchange), true);
        id = exchange.list(tokenId, payToken, price);
        vm.stopPrank();
    }

    /// @dev A fresh coded voucher of `from`, listed.
    function _listCoded(address from, address payToken, uint256 price) internal returns (uint256) {
        return _list(from, _mintCoded(from), payToken, price);
    }

    /// @dev A fresh issuer-backed voucher of `from`, listed.
    function _listBacked(address from, address payToken, uint256 price) internal returns (uint256) {
        return _list(from, _issueBacked(from), payToken, price);
    }

    // ─── Order steps ─────────────────────────────────────────────────────────────────────────────────────────────

    /// @dev Pays the listing's price from `from` (funded here first) in the listing's own payment token.
    function _buy(address from, uint256 id, address referrer) internal {
        IVoucherExchange.Trade memory t = exchange.trade(id);
        if (t.payToken == ETH) {
            vm.deal(from, from.balance + t.price);
            vm.prank(from);
            exchange.buy{value: t.price}(id, t.price, referrer, BUYER_KEY);
        } else {
            _fund(t.payToken, from, t.price);
            vm.prank(from);
            exchange.buy(id, t.price, referrer, BUYER_KEY);
        }
    }

    /// @dev Gives `to` `amount` of `token` and approves the exchange for all of it.
    function _fund(address token, address to, uint256 amount) internal virtual {
        if (token == address(usd)) {
            usd.faucet(to, amount);
        } else {
            (bool ok, ) = token.call(abi.encodeWithSignature("mint(address,uint256)", to, amount));
            require(ok, "fund: mint failed");
        }
        vm.prank(to);
        (bool approved, ) = token.call(abi.encodeCall(IERC20.approve, (address(exchange), type(uint256).max)));
        require(approved, "fund: approve failed");
    }

    function _deliver(uint256 id) internal {
        vm.prank(exchange.trade(id).seller);
        exchange.deliverCode(id, hex"c0de");
    }

    function _confirm(uint256 id) internal {
        vm.prank(exchange.trade(id).buyer);
        exchange.confirm(id);
    }

    /// @dev The buyer disputes with sealed evidence, paying the order's bond (funded here first) in its token.
    function _dispute(uint256 id) internal returns (uint256 bond) {
        IVoucherExchange.Trade memory t = exchange.trade(id);
        bond = exchange.disputeBond(id);
        if (t.payToken == ETH) {
            vm.deal(t.buyer, t.buyer.balance + bond);
            vm.prank(t.buyer);
            exchange.dispute{value: bond}(id, SEALED_EVIDENCE);
        } else {
            _fund(t.payToken, t.buyer, bond);
            vm.prank(t.buyer);
            exchange.dispute(id, SEALED_EVIDENCE);
        }
    }

    function _resolve(uint256 id, bool refundBuyer) internal {
        vm.prank(arbiter);
        exchange.resolve(id, refundBuyer);
    }

    /// @dev Moves time to one second past the order's current deadline.
    function _pastDeadline(uint256 id) internal {
        vm.warp(uint256(exchange.trade(id).deadline) + 1);
    }

    /// @dev d1 ← d2 ← d3: d1 is a root, d3 refers.
    function _distributorChain() internal {
        vm.prank(d1);
        exchange.joinDistributors(address(0));
        vm.prank(d2);
        exchange.joinDistributors(d1);
        vm.prank(d3);
        exchange.joinDistributors(d2);
    }

    // ─── Reads ───────────────────────────────────────────────────────────────────────────────────────────────────

    function _status(uint256 id) internal view returns (IVoucherExchange.Status) {
        return exchange.trade(id).status;
    }

    function _balanceOf(address token, address account) internal view returns (uint256) {
        return token == ETH ? account.balance : IERC20(token).balanceOf(account);
    }

    /// @dev What `account` holds plus what the exchange owes it: invariant under a push turning into a credit.
    function _worth(address token, address account) internal view returns (uint256) {
        return _balanceOf(token, account) + exchange.credits(account, token);
    }

    /// @dev Escrow of every open order in `token`, from the exchange's own records: the price of every open order
    /// plus the bond of every disputed one.
    function _escrow(address token) internal view returns (uint256 sum) {
        uint256 n = exchange.tradeCount();
        for (uint256 id = 1; id <= n; ++id) {
            IVoucherExchange.Trade memory t = exchange.trade(id);
            if (t.payToken != token) continue;
            bool open =
                t.status == IVoucherExchange.Status.AwaitingDelivery ||
                    t.status == IVoucherExchange.Status.Delivered ||
                    t.status == IVoucherExchange.Status.Disputed;
            if (open) sum += t.price;
            if (t.status == IVoucherExchange.Status.Disputed) sum += exchange.disputeBond(id);
        }
    }

    /// @dev The budgets of every offer in `token` escrowed in the exchange (zero once cancelled).
    function _offerBudgets(address token) internal view returns (uint256 sum) {
        uint256 n = offers.offerCount();
        for (uint256 id = 1; id <= n; ++id) {
            (address t, uint256 amount) = exchange.offerFunds(id);
            if (t == token) sum += amount;
        }
    }

    function _expectError(bytes4 selector) internal {
        vm.expectRevert(abi.encodeWithSelector(selector));
    }

    function _statusEq(uint256 id, IVoucherExchange.Status expected, string memory what) internal view {
        vm.assertEq(uint256(_status(id)), uint256(expected), what);
    }
}
