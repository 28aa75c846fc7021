// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IVoucherExchange} from "../../../contracts/interfaces/IVoucherExchange.sol";
import {IVoucherToken} from "../../../contracts/interfaces/IVoucherToken.sol";
import {Reenterer} from "../../../contracts/mocks/Reenterer.sol";
import {ReentrantBuyer} from "../../../contracts/mocks/ReentrantBuyer.sol";
import {ReentrantReceiver} from "../../../contracts/mocks/ReentrantReceiver.sol";
import {ReentrantToken} from "../../../contracts/mocks/ReentrantToken.sol";
import {Vm} from "../utils/Vm.sol";
import {ExchangeFixture} from "../utils/ExchangeFixture.sol";

/// @title Reentrancy attacks
/// @notice Guards against NFTTrader (Dec 2023, ~$3M of NFTs taken by re-entering from a receiver hook) and Omni
/// (Jul 2022, re-entry from onERC721Received mid-liquidation): every hook through which the exchange hands control to
/// a seller, distributor, refunded buyer, paying or bonding buyer or token calls every state-changing entry point of
/// the exchange and every guarded one of the voucher token, in a Seaport-style entry × re-entry matrix; each re-entry
/// must fail and the end state must equal the honest run's.
contract ReentrancyTest is ExchangeFixture {
    /// @dev Where control reaches the attacker. The first seven are ETH pushes (30,000 gas), the rest get all gas.
    /// A release after a dispute (resolve or timeout) pushes the proceeds, then the bond; a refund after a dispute
    /// pushes price and bond together.
    enum Scenario {
        SellerPaidOnConfirm,
        SellerPaidOnFinalize,
        SellerPaidOnResolve,
        SellerPaidOnExpireDispute,
        SellerPaidOnInstantBuy,
        BuyerRefundedOnCancelUndelivered,
        BuyerRefundedOnResolve,
        DistributorClaimsEth,
        BuyerPaysInHookToken,
        BuyerPaysBondInHookToken,
        SellerPaidInHookToken,
        SellerPaidBondInHookToken,
        BuyerRefundedInHookToken,
        BuyerRefundedBondInHookToken,
        DistributorClaimsHookToken
    }

    /// @dev Re-entry calls from this index on go to the voucher token rather than the exchange.
    uint256 private constant FIRST_TOKEN_ENTRY = 31;
    uint256 private constant ENTRIES = 36;
    uint256 private constant PRICE_ETH = 1 ether;
    uint256 private constant PRICE_HOOK = 1e18;

    ReentrantReceiver internal attacker;
    ReentrantBuyer internal attackerBuyer;
    ReentrantToken internal hook;

    mapping(address account => uint256 tokenId) internal heldVoucher;
    mapping(address account => uint256 listingId) internal ownListing;
    uint256 internal honestListing;
    uint256 internal victimOrder;

    function setUp() public {
        _deploy();
        hook = ReentrantToken(deployCode("ReentrantToken.sol:ReentrantToken", ""));
        vm.prank(owner);
        exchange.setPayToken(address(hook), 10_000);
        attacker = ReentrantReceiver(
            payable(deployCode("ReentrantReceiver.sol:ReentrantReceiver", abi.encode(address(exchange))))
        );
        attackerBuyer = ReentrantBuyer(
            payable(deployCode("ReentrantBuyer.sol:ReentrantBuyer", abi.encode(address(exchange))))
        );
        vm.label(address(attacker), "attacker");
        vm.label(address(attackerBuyer), "attackerBuyer");

        address[2] memory attackers = [address(attacker), address(attackerBuyer)];
        for (uint256 i; i < 2; ++i) {
            address a = attackers[i];
            // Already distributors, so a re-entrant join cannot succeed either.
            vm.prank(a);
            exchange.joinDistributors(address(0));
            ownListing[a] = _listCoded(a, ETH, PRICE_ETH);
            heldVoucher[a] = _mintCoded(a);
            _fund(address(usd), a, 1_000e6);
            _fund(address(hook), a, 100 * PRICE_HOOK);
            vm.deal(a, 100 ether);
            vm.prank(a);
            hook.registerHooks(true, true);
        }
        honestListing = _listCoded(seller, address(usd), 100e6);
        victimOrder = _listCoded(seller, ETH, 2 ether);
        _buy(other, victimOrder, address(0));
    }

    // ─── The matrix ──────────────────────────────────────────────────────────────────────────────────────────────

    function test_reentrancy_sellerEthReceive_onConfirm() public {
        _matrix(Scenario.SellerPaidOnConfirm);
    }

    function test_reentrancy_sellerEthReceive_onFinalize() public {
        _matrix(Scenario.SellerPaidOnFinalize);
    }

    function test_reentrancy_sellerEthReceive_onResolveRelease() public {
        _matrix(Scenario.SellerPaidOnResolve);
    }

    function test_reentrancy_sellerEthReceive_onExpireDispute() public {
        _matrix(Scenario.SellerPaidOnExpireDispute);
    }

    function test_reentrancy_sellerEthReceive_onInstantBuy() public {
        _matrix(Scenario.SellerPaidOnInstantBuy);
    }

    function test_reentrancy_refundedBuyerEthReceive_onCancelUndelivered() public {
        _matrix(Scenario.BuyerRefundedOnCancelUndelivered);
    }

    function test_reentrancy_refundedBuyerEthReceive_onResolveRefund() public {
        _matrix(Scenario.BuyerRefundedOnResolve);
    }

    function test_reentrancy_distributorEthReceive_onClaim() public {
        _matrix(Scenario.DistributorClaimsEth);
    }

    function test_reentrancy_erc20SenderHook_onBuy() public {
        _matrix(Scenario.BuyerPaysInHookToken);
    }

    function test_reentrancy_erc20SenderHook_onDisputeBond() public {
        _matrix(Scenario.BuyerPaysBondInHookToken);
    }

    function test_reentrancy_erc20RecipientHook_sellerPaidOnConfirm() public {
        _matrix(Scenario.SellerPaidInHookToken);
    }

    function test_reentrancy_erc20RecipientHook_sellerPaidBondOnExpireDispute() public {
        _matrix(Scenario.SellerPaidBondInHookToken);
    }

    function test_reentrancy_erc20RecipientHook_buyerRefunded() public {
        _matrix(Scenario.BuyerRefundedInHookToken);
    }

    function test_reentrancy_erc20RecipientHook_buyerRefundedWithBondOnResolve() public {
        _matrix(Scenario.BuyerRefundedBondInHookToken);
    }

    function test_reentrancy_erc20RecipientHook_onClaim() public {
        _matrix(Scenario.DistributorClaimsHookToken);
    }

    /// @notice Vouchers leave the exchange by plain `transferFrom`, so `onERC721Received` never runs inside it: an
    /// armed receiver buys (instant and coded), is refunded, and cancels its listing without ever getting control.
    function test_reentrancy_onERC721Received_neverCalledByExchange() public {
        uint256 hooksBefore = attackerBuyer.voucherHooks();
        attackerBuyer.arm(abi.encodeCall(IVoucherExchange.claim, (ETH)), Reenterer.Mode.Bubble);
        vm.recordLogs();

        uint256 instant = _listBacked(seller, ETH, PRICE_ETH);
        _buy(address(attackerBuyer), instant, address(0));
        uint256 coded = _listCoded(seller, ETH, PRICE_ETH);
        _buy(address(attackerBuyer), coded, address(0));
        _deliver(coded);
        _confirm(coded);
        uint256 refunded = _listCoded(seller, ETH, PRICE_ETH);
        _buy(address(attackerBuyer), refunded, address(0));
        uint256 balanceBeforeRefund = address(attackerBuyer).balance;
        _pastDeadline(refunded);
        exchange.cancelUndelivered(refunded);
        vm.prank(address(attackerBuyer));
        exchange.cancelListing(ownListing[address(attackerBuyer)]);

        vm.assertEq(attackerBuyer.voucherHooks(), hooksBefore, "onERC721Received ran inside the exchange");
        vm.assertEq(_reentries(address(attackerBuyer)).length, 0, "re-entry attempted");
        vm.assertEq(voucher.ownerOf(exchange.trade(instant).tokenId), address(attackerBuyer), "instant voucher");
        vm.assertEq(voucher.ownerOf(exchange.trade(coded).tokenId), address(attackerBuyer), "coded voucher");
        vm.assertEq(voucher.ownerOf(exchange.trade(refunded).tokenId), seller, "refunded voucher");
        vm.assertEq(
            voucher.ownerOf(exchange.trade(ownListing[address(attackerBuyer)]).tokenId),
            address(attackerBuyer),
            "cancelled listing's voucher"
        );
        vm.assertEq(address(attackerBuyer).balance, balanceBeforeRefund + PRICE_ETH, "refund pushed to the buyer");
        _assertSolvent();
    }

    /// @notice Control check: the same armed hook does fire on a `safeTransferFrom` outside the exchange, so the
    /// zero above is a property of the exchange, not a dead hook.
    function test_reentrancy_onERC721Received_firesOnSafeTransfer() public {
        attackerBuyer.arm(abi.encodeCall(IVoucherExchange.claim, (ETH)), Reenterer.Mode.Accept);
        uint256 tokenId = _mintCoded(seller);
        uint256 hooksBefore = attackerBuyer.voucherHooks();
        vm.recordLogs();
        vm.prank(seller);
        voucher.safeTransferFrom(seller, address(attackerBuyer), tokenId);
        vm.assertEq(attackerBuyer.voucherHooks(), hooksBefore + 1, "hook ran");
        Reentry[] memory r = _reentries(address(attackerBuyer));
        vm.assertEq(r.length, 1, "one re-entry");
        vm.assertFalse(r[0].success, "claim with no credit fails");
    }

    // ─── Machinery ───────────────────────────────────────────────────────────────────────────────────────────────

    struct Reentry {
        bytes4 selector;
        bool success;
        bytes returnData;
    }

    /// @dev For each entry point and each attacker mode: run the scenario once honestly and once armed from the same
    /// state, then compare every party's holdings, every trade, every voucher and every setting.
    function _matrix(Scenario s) internal {
        Reenterer a = _attackerOf(s);
        for (uint256 m; m < 2; ++m) {
            for (uint256 e; e < ENTRIES; ++e) {
                uint256 snap = vm.snapshotState();
                _runCase(s, a, Reenterer.Mode(m), e);
                vm.revertToState(snap);
            }
        }
    }

    function _runCase(Scenario s, Reenterer a, Reenterer.Mode mode, uint256 e) internal {
        uint256 id = _prepare(s);
        bytes memory entry = _entries(address(a), id)[e];
        bytes32 before = _outcome();
        bytes32 honest = _honestOutcome(s, id);

        a.armAt(e < FIRST_TOKEN_ENTRY ? address(exchange) : address(voucher), entry, mode);
        vm.recordLogs();
        bool done = _act(s, id);
        _checkReentry(s, address(a), bytes4(entry));
        if (done) {
            vm.assertEq(_outcome(), honest, "armed run differs from the honest run");
        } else {
            // Only a bubbling hook inside a pull-style call may undo the whole call, and then nothing moved.
            vm.assertTrue(mode == Reenterer.Mode.Bubble && _revertsWhenHookReverts(s), "unexpected revert");
            vm.assertEq(_outcome(), before, "a reverted call moved something");
        }
        _assertSolvent();
    }

    /// @dev The end state of the same step with the attacker disarmed.
    function _honestOutcome(Scenario s, uint256 id) internal returns (bytes32 honest) {
        uint256 snap = vm.snapshotState();
        vm.assertTrue(_act(s, id), "honest run succeeds");
        honest = _outcome();
        vm.revertToState(snap);
    }

    /// @dev The armed hook ran and every re-entrant call it made failed; with all gas available, on the guard (or the
    /// access check of entries that are not guarded: owner, arbiter, issuer or exchange only). It runs once per
    /// arming, except that a hook whose payment reverted (bubbling, or out of the push's gas) also rolled back its own
    /// disarming: a release after a dispute pays the seller twice (proceeds, then bond), so it may fire on both.
    function _checkReentry(Scenario s, address a, bytes4 selector) internal {
        Reentry[] memory r = _reentries(a);
        vm.assertGe(r.length, 1, "the armed hook ran");
        vm.assertLe(r.length, _paymentsTo(s), "the armed hook ran once per payment at most");
        for (uint256 i; i < r.length; ++i) {
            vm.assertEq(r[i].selector, selector, "re-entry selector");
            vm.assertFalse(r[i].success, "re-entry succeeded");
            if (_fullGas(s)) {
                vm.assertEq(r[i].returnData, _expectedFailure(selector, a), "re-entry failed for the wrong reason");
            }
        }
    }

    /// @dev How many payments the action makes to the attacker.
    function _paymentsTo(Scenario s) internal pure returns (uint256) {
        return
            s == Scenario.SellerPaidOnResolve ||
            s == Scenario.SellerPaidOnExpireDispute ||
            s == Scenario.SellerPaidBondInHookToken
                ? 2
                : 1;
    }

    function _expectedFailure(bytes4 selector, address a) internal pure returns (bytes memory) {
        if (_guarded(selector)) {
            return abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        }
        if (selector == IVoucherExchange.setArbiterKey.selector) {
            return abi.encodeWithSelector(IVoucherExchange.NotArbiter.selector, a);
        }
        if (selector == IVoucherToken.markDisclosed.selector) {
            return abi.encodeWithSelector(IVoucherToken.NotExchange.selector, a);
        }
        if (selector == IVoucherToken.attest.selector || selector == IVoucherToken.revokeAttestation.selector) {
            return abi.encodeWithSelector(IVoucherToken.NotIssuer.selector, a, BRAND_CODED);
        }
        return abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, a);
    }

    function _attackerOf(Scenario s) internal view returns (Reenterer) {
        return
            s == Scenario.BuyerPaysInHookToken || s == Scenario.BuyerPaysBondInHookToken
                ? Reenterer(address(attackerBuyer))
                : Reenterer(address(attacker));
    }

    function _fullGas(Scenario s) internal pure returns (bool) {
        return uint256(s) >= uint256(Scenario.DistributorClaimsEth);
    }

    function _revertsWhenHookReverts(Scenario s) internal pure returns (bool) {
        return
            s == Scenario.DistributorClaimsEth ||
            s == Scenario.BuyerPaysInHookToken ||
            s == Scenario.BuyerPaysBondInHookToken ||
            s == Scenario.DistributorClaimsHookToken;
    }

    /// @dev Brings the attacked order to the step before the action; returns its id.
    function _prepare(Scenario s) internal returns (uint256 id) {
        address a = address(attacker);
        if (s <= Scenario.SellerPaidOnExpireDispute) {
            id = _listCoded(a, ETH, PRICE_ETH);
            _buy(buyer, id, address(0));
            _deliver(id);
            if (s >= Scenario.SellerPaidOnResolve) _dispute(id);
            if (s == Scenario.SellerPaidOnFinalize || s == Scenario.SellerPaidOnExpireDispute) _pastDeadline(id);
        } else if (s == Scenario.SellerPaidOnInstantBuy) {
            id = _listBacked(a, ETH, PRICE_ETH);
            vm.deal(buyer, PRICE_ETH);
        } else if (s == Scenario.BuyerRefundedOnCancelUndelivered || s == Scenario.BuyerRefundedOnResolve) {
            id = _listCoded(seller, ETH, PRICE_ETH);
            _buy(a, id, address(0));
            if (s == Scenario.BuyerRefundedOnResolve) {
                _deliver(id);
                _dispute(id);
            } else {
                _pastDeadline(id);
            }
        } else if (s == Scenario.DistributorClaimsEth) {
            id = _listBacked(seller, ETH, PRICE_ETH);
            _buy(buyer, id, a);
        } else if (s == Scenario.BuyerPaysInHookToken) {
            id = _listCoded(seller, address(hook), PRICE_HOOK);
        } else if (s == Scenario.BuyerPaysBondInHookToken) {
            id = _listCoded(seller, address(hook), PRICE_HOOK);
            _buy(address(attackerBuyer), id, address(0));
            _deliver(id);
        } else if (s == Scenario.SellerPaidInHookToken || s == Scenario.SellerPaidBondInHookToken) {
            id = _listCoded(a, address(hook), PRICE_HOOK);
            _buy(buyer, id, address(0));
            _deliver(id);
            if (s == Scenario.SellerPaidBondInHookToken) {
                _dispute(id);
                _pastDeadline(id);
            }
        } else if (s == Scenario.BuyerRefundedInHookToken || s == Scenario.BuyerRefundedBondInHookToken) {
            id = _listCoded(seller, address(hook), PRICE_HOOK);
            _buy(a, id, address(0));
            if (s == Scenario.BuyerRefundedBondInHookToken) {
                _deliver(id);
                _dispute(id);
            } else {
                _pastDeadline(id);
            }
        } else {
            id = _listBacked(seller, address(hook), PRICE_HOOK);
            _fund(address(hook), buyer, PRICE_HOOK);
            _buy(buyer, id, a);
        }
    }

    /// @dev The one call in which the exchange hands control to the attacker. Returns whether it went through.
    function _act(Scenario s, uint256 id) internal returns (bool) {
        if (s == Scenario.SellerPaidOnConfirm || s == Scenario.SellerPaidInHookToken) {
            vm.prank(buyer);
            try exchange.confirm(id) {
                return true;
            } catch {
                return false;
            }
        }
        if (s == Scenario.SellerPaidOnFinalize) {
            vm.prank(other);
            try exchange.finalize(id) {
                return true;
            } catch {
                return false;
            }
        }
        if (
            s == Scenario.SellerPaidOnResolve ||
            s == Scenario.BuyerRefundedOnResolve ||
            s == Scenario.BuyerRefundedBondInHookToken
        ) {
            vm.prank(arbiter);
            try exchange.resolve(id, s != Scenario.SellerPaidOnResolve) {
                return true;
            } catch {
                return false;
            }
        }
        if (s == Scenario.SellerPaidOnExpireDispute || s == Scenario.SellerPaidBondInHookToken) {
            vm.prank(other);
            try exchange.expireDispute(id) {
                return true;
            } catch {
                return false;
            }
        }
        if (s == Scenario.SellerPaidOnInstantBuy) {
            vm.prank(buyer);
            try exchange.buy{value: PRICE_ETH}(id, PRICE_ETH, address(0), BUYER_KEY) {
                return true;
            } catch {
                return false;
            }
        }
        if (s == Scenario.BuyerRefundedOnCancelUndelivered || s == Scenario.BuyerRefundedInHookToken) {
            vm.prank(other);
            try exchange.cancelUndelivered(id) {
                return true;
            } catch {
                return false;
            }
        }
        if (s == Scenario.BuyerPaysInHookToken) {
            vm.prank(address(attackerBuyer));
            try exchange.buy(id, PRICE_HOOK, address(0), BUYER_KEY) {
                return true;
            } catch {
                return false;
            }
        }
        if (s == Scenario.BuyerPaysBondInHookToken) {
            vm.prank(address(attackerBuyer));
            try exchange.dispute(id, SEALED_EVIDENCE) {
                return true;
            } catch {
                return false;
            }
        }
        vm.prank(address(attacker));
        try exchange.claim(s == Scenario.DistributorClaimsEth ? ETH : address(hook)) {
            return true;
        } catch {
            return false;
        }
    }

    /// @dev Every state-changing entry point of the exchange, aimed where it would hurt: the order being paid out,
    /// the attacker's own listing and voucher, an honest listing to buy, every credit, every owner and arbiter power;
    /// then (from FIRST_TOKEN_ENTRY) every voucher-token power that guards card trust: marking the order's voucher
    /// disclosed, attesting or un-attesting the attacker's own card, and the owner's exchange and denominations.
    function _entries(address a, uint256 id) internal view returns (bytes[] memory e) {
        uint256[] memory ids = new uint256[](1);
        ids[0] = heldVoucher[a];
        uint256[] memory prices = new uint256[](1);
        prices[0] = PRICE_ETH;
        e = new bytes[](ENTRIES);
        e[0] = abi.encodeCall(IVoucherExchange.list, (heldVoucher[a], ETH, PRICE_ETH));
        e[1] = abi.encodeCall(IVoucherExchange.listBatch, (ids, ETH, prices));
        e[2] = abi.encodeCall(IVoucherExchange.cancelListing, (ownListing[a]));
        e[3] = abi.encodeCall(IVoucherExchange.updatePrice, (id, 10_000));
        e[4] = abi.encodeCall(IVoucherExchange.buy, (honestListing, 100e6, address(0), BUYER_KEY));
        e[5] = abi.encodeCall(IVoucherExchange.deliverCode, (id, hex"01"));
        e[6] = abi.encodeCall(IVoucherExchange.confirm, (id));
        e[7] = abi.encodeCall(IVoucherExchange.finalize, (id));
        e[8] = abi.encodeCall(IVoucherExchange.cancelUndelivered, (id));
        e[9] = abi.encodeCall(IVoucherExchange.dispute, (id, SEALED_EVIDENCE));
        e[10] = abi.encodeCall(IVoucherExchange.resolve, (id, true));
        e[11] = abi.encodeCall(IVoucherExchange.expireDispute, (id));
        e[12] = abi.encodeCall(IVoucherExchange.joinDistributors, (address(0)));
        e[13] = abi.encodeCall(IVoucherExchange.claim, (ETH));
        e[14] = abi.encodeCall(IVoucherExchange.claim, (address(usd)));
        e[15] = abi.encodeCall(IVoucherExchange.claim, (address(hook)));
        e[16] = abi.encodeCall(IVoucherExchange.setProtocolFee, (300));
        e[17] = abi.encodeCall(IVoucherExchange.setLevelShares, ([uint16(10_000), 0, 0]));
        e[18] = abi.encodeCall(IVoucherExchange.setTreasury, (a));
        e[19] = abi.encodeCall(IVoucherExchange.setArbiter, (a));
        e[20] = abi.encodeCall(IVoucherExchange.setPayToken, (a, uint96(MIN_PRICE)));
        e[21] = abi.encodeCall(IVoucherExchange.setWindows, (1 hours, 1 hours, 1 hours));
        e[22] = abi.encodeCall(IVoucherExchange.pause, ());
        e[23] = abi.encodeCall(IVoucherExchange.unpause, ());
        e[24] = abi.encodeWithSignature("transferOwnership(address)", a);
        e[25] = abi.encodeWithSignature("acceptOwnership()");
        e[26] = abi.encodeWithSignature("renounceOwnership()");
        e[27] = abi.encodeCall(IVoucherExchange.confirm, (victimOrder));
        e[28] = abi.encodeCall(IVoucherExchange.cancelUndelivered, (victimOrder));
        e[29] = abi.encodeCall(IVoucherExchange.setArbiterKey, (keccak256("attacker's key")));
        e[30] = abi.encodeCall(IVoucherExchange.setDisputeBond, (uint16(5_000)));
        uint256 orderVoucher = id == 0 ? heldVoucher[a] : exchange.trade(id).tokenId;
        e[31] = abi.encodeCall(IVoucherToken.markDisclosed, (orderVoucher));
        e[32] = abi.encodeCall(IVoucherToken.attest, (heldVoucher[a], uint128(50_000)));
        e[33] = abi.encodeCall(IVoucherToken.revokeAttestation, (heldVoucher[a]));
        e[34] = abi.encodeCall(IVoucherToken.setExchange, (a));
        e[35] = abi.encodeCall(IVoucherToken.setDenominations, (BRAND_CODED, new uint128[](0), uint128(1)));
    }

    function _guarded(bytes4 selector) internal pure returns (bool) {
        return
            selector == IVoucherExchange.list.selector ||
            selector == IVoucherExchange.listBatch.selector ||
            selector == IVoucherExchange.cancelListing.selector ||
            selector == IVoucherExchange.buy.selector ||
            selector == IVoucherExchange.confirm.selector ||
            selector == IVoucherExchange.finalize.selector ||
            selector == IVoucherExchange.cancelUndelivered.selector ||
            selector == IVoucherExchange.resolve.selector ||
            selector == IVoucherExchange.expireDispute.selector ||
            selector == IVoucherExchange.claim.selector ||
            selector == IVoucherExchange.updatePrice.selector ||
            selector == IVoucherExchange.deliverCode.selector ||
            selector == IVoucherExchange.dispute.selector ||
            selector == IVoucherExchange.joinDistributors.selector;
    }

    function _reentries(address emitter) internal returns (Reentry[] memory found) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        found = new Reentry[](logs.length);
        uint256 k;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != emitter || logs[i].topics[0] != Reenterer.ReentryAttempted.selector) continue;
            (bool success, bytes memory returnData) = abi.decode(logs[i].data, (bool, bytes));
            found[k++] = Reentry(bytes4(logs[i].topics[1]), success, returnData);
        }
        // Shrink the array to the entries found.
        Reentry[] memory exact = new Reentry[](k);
        for (uint256 i; i < k; ++i) exact[i] = found[i];
        return exact;
    }

    /// @dev Everything an attack could change: each party's holdings plus credits in each asset (so a failed push
    /// that became a credit compares equal), every trade, every voucher's owner, every setting and counter.
    function _outcome() internal view returns (bytes32) {
        address[11] memory parties = [
            seller,
            buyer,
            other,
            treasury,
            d1,
            d2,
            d3,
            owner,
            arbiter,
            address(attacker),
            address(attackerBuyer)
        ];
        address[3] memory assets = [ETH, address(usd), address(hook)];
        bytes32 acc;
        for (uint256 p; p < parties.length; ++p) {
            for (uint256 t; t < assets.length; ++t) acc = keccak256(abi.encode(acc, _worth(assets[t], parties[p])));
            address[] memory none;
            (IVoucherExchange.Stats memory stats, ) = exchange.account(parties[p], none);
            (bool joined, address upline, ) = exchange.distributor(parties[p]);
            acc = keccak256(abi.encode(acc, stats, joined, upline));
        }
        uint256 trades = exchange.tradeCount();
        for (uint256 id = 1; id <= trades; ++id) acc = keccak256(abi.encode(acc, exchange.trade(id)));
        uint256 minted = voucher.totalMinted();
        for (uint256 tokenId = 1; tokenId <= minted; ++tokenId) {
            acc = keccak256(abi.encode(acc, voucher.ownerOf(tokenId), voucher.voucher(tokenId)));
        }
        (uint128[] memory faceValues, uint128 maxFaceValue) = voucher.denominations(BRAND_CODED);
        acc = keccak256(abi.encode(acc, voucher.exchange(), faceValues, maxFaceValue));
        (uint32 w1, uint32 w2, uint32 w3) = exchange.windows();
        acc = keccak256(
            abi.encode(
                acc,
                exchange.protocolFeeBps(),
                exchange.levelShares(),
                exchange.treasury(),
                exchange.arbiter(),
                w1,
                w2,
                w3,
                exchange.paused(),
                exchange.owner(),
                exchange.pendingOwner(),
                exchange.payTokens()
            )
        );
        return keccak256(abi.encode(acc, exchange.arbiterKey(), exchange.disputeBondBps(), exchange.currentTermsId()));
    }

    /// @dev Solvency: the exchange holds exactly the escrow of open orders plus every party's credit, per asset.
    function _assertSolvent() internal view {
        address[12] memory parties = [
            seller,
            buyer,
            other,
            treasury,
            d1,
            d2,
            d3,
            owner,
            arbiter,
            issuer,
            address(attacker),
            address(attackerBuyer)
        ];
        address[3] memory assets = [ETH, address(usd), address(hook)];
        for (uint256 t; t < assets.length; ++t) {
            uint256 owed = _escrow(assets[t]);
            for (uint256 p; p < parties.length; ++p) owed += exchange.credits(parties[p], assets[t]);
            vm.assertEq(_balanceOf(assets[t], address(exchange)), owed, "exchange balance != escrow + credits");
        }
    }
}
