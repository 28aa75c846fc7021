// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IVoucherExchange} from "../../../contracts/interfaces/IVoucherExchange.sol";
import {IVoucherOffers} from "../../../contracts/interfaces/IVoucherOffers.sol";
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
        DistributorClaimsHookToken,
        // Recyclers' offers: the seller paid by a sale into an offer, the recycler refunded by a cancel (ETH pushes),
        // and the same in the hook token, plus the recycler's budget pulled by `post`.
        SellerPaidOnOfferSale,
        RecyclerRefundedOnCancel,
        RecyclerPaysInHookToken,
        SellerPaidInHookTokenOnOfferSale,
        RecyclerRefundedInHookToken
    }

    /// @dev Re-entry calls from this index on go to the voucher token rather than the exchange.
    uint256 private constant FIRST_TOKEN_ENTRY = 31;
    /// @dev From here the exchange's offer entry points, then (from FIRST_OFFERS_ENTRY) the offers contract's.
    uint256 private constant FIRST_EXCHANGE_OFFER_ENTRY = 36;
    uint256 private constant FIRST_OFFERS_ENTRY = 40;
    uint256 private constant ENTRIES = 45;
    uint256 private constant PRICE_ETH = 1 ether;
    uint256 private constant PRICE_HOOK = 1e18;

    ReentrantReceiver internal attacker;
    ReentrantBuyer internal attackerBuyer;
    ReentrantToken internal hook;

    mapping(address account => uint256 tokenId) internal heldVoucher;
    mapping(address account => uint256 listingId) internal ownListing;
    uint256 internal honestListing;
    uint256 internal victimOrder;
    /// @dev An honest kUSD offer for coded cards (the attacker tries to sell into it) and each attacker's own offer.
    uint256 internal honestOffer;
    mapping(address account => uint256 offerId) internal ownOffer;
    /// @dev The offer and card an offer scenario acts on.
    uint256 internal preparedOffer;
    uint256 internal preparedCard;

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
        _fund(address(usd), buyer, 1_000e6);
        honestOffer = _postOffer(buyer, BRAND_CODED, address(usd), 1_000e6);
        for (uint256 i; i < 2; ++i) {
            ownOffer[attackers[i]] = _postOffer(attackers[i], BRAND_CODED, ETH, 1 ether);
        }
    }

    /// @dev Posts a flat 90% offer for `brandId` as `recycler` (funded here for ETH) and returns its id.
    function _postOffer(address recycler, uint256 brandId, address token, uint256 budget) internal returns (uint256) {
        if (token == ETH) vm.deal(recycler, recycler.balance + budget);
        vm.prank(recycler);
        return offers.post{value: token == ETH ? budget : 0}(_offerParams(brandId, token), _flatSchedule(), budget);
    }

    function _offerParams(uint256 brandId, address token) internal view returns (IVoucherOffers.OfferParams memory) {
        return
            IVoucherOffers.OfferParams({
                brandId: uint32(brandId),
                payToken: token,
                unitPrice: token == ETH ? 1e12 : (token == address(usd) ? 10_000 : 1e12),
                maxCards: 10,
                expiresAt: uint32(START + 90 days),
                attestedOnly: false,
                deliveryKey: BUYER_KEY
            });
    }

    function _flatSchedule() internal pure returns (IVoucherOffers.Schedule memory s) {
        s.tiers = new IVoucherOffers.Tier[](1);
        s.tiers[0] = IVoucherOffers.Tier({maxFaceValue: 1_000_000, rateBps: 9_000});
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

    function test_reentrancy_sellerEthReceive_onOfferSale() public {
        _matrix(Scenario.SellerPaidOnOfferSale);
    }

    function test_reentrancy_recyclerEthReceive_onOfferCancel() public {
        _matrix(Scenario.RecyclerRefundedOnCancel);
    }

    function test_reentrancy_erc20SenderHook_onOfferPost() public {
        _matrix(Scenario.RecyclerPaysInHookToken);
    }

    function test_reentrancy_erc20RecipientHook_sellerPaidOnOfferSale() public {
        _matrix(Scenario.SellerPaidInHookTokenOnOfferSale);
    }

    function test_reentrancy_erc20RecipientHook_recyclerRefundedOnOfferCancel() public {
        _matrix(Scenario.RecyclerRefundedInHookToken);
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

        a.armAt(_targetOf(e), entry, mode);
        vm.recordLogs();
        bool done = _act(s, id);
        _checkReentry(s, address(a), bytes4(entry), e);
        if (done) {
            vm.assertEq(_outcome(), honest, "armed run differs from the honest run");
        } else {
            // Only a bubbling hook inside a pull-style call may undo the whole call, and then nothing moved.
            vm.assertTrue(mode == Reenterer.Mode.Bubble && _revertsWhenHookReverts(s), "unexpected revert");
            vm.assertEq(_outcome(), before, "a reverted call moved something");
        }
        _assertSolvent();
    }

    function _targetOf(uint256 e) internal view returns (address) {
        if (e >= FIRST_OFFERS_ENTRY) return address(offers);
        if (e >= FIRST_TOKEN_ENTRY && e < FIRST_EXCHANGE_OFFER_ENTRY) return address(voucher);
        return address(exchange);
    }

    /// @dev The end state of the same step with the attacker disarmed.
    function _honestOutcome(Scenario s, uint256 id) internal returns (bytes32 honest) {
        uint256 snap = vm.snapshotState();
        vm.assertTrue(_act(s, id), "honest run succeeds");
        honest = _outcome();
        vm.revertToState(snap);
    }

    /// @dev The armed hook ran (see the one exception inside) and every re-entrant call it made failed; with all gas available, on the guard (or the
    /// access check of entries that are not guarded: owner, arbiter, issuer or exchange only). It runs once per
    /// arming, except that a hook whose payment reverted (bubbling, or out of the push's gas) also rolled back its own
    /// disarming: a release after a dispute pays the seller twice (proceeds, then bond), so it may fire on both.
    function _checkReentry(Scenario s, address a, bytes4 selector, uint256 e) internal {
        Reentry[] memory r = _reentries(a);
        // Inside a 30,000-gas ETH push from the exchange alone, a re-entry into the (cold, unguarded) offers contract
        // spends the whole stipend before reaching the exchange's guard, so the hook cannot even record it: the push
        // fails, the payment becomes a credit, and the outcome is still compared with the honest run's below.
        if (r.length == 0 && !_fullGas(s) && !_insideOffers(s) && e >= FIRST_OFFERS_ENTRY) return;
        vm.assertGe(r.length, 1, "the armed hook ran");
        vm.assertLe(r.length, _paymentsTo(s), "the armed hook ran once per payment at most");
        for (uint256 i; i < r.length; ++i) {
            vm.assertEq(r[i].selector, selector, "re-entry selector");
            vm.assertFalse(r[i].success, "re-entry succeeded");
            if (_fullGas(s)) {
                vm.assertEq(r[i].returnData, _expectedFailure(s, selector, a), "re-entry failed for the wrong reason");
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

    function _expectedFailure(Scenario s, bytes4 selector, address a) internal view returns (bytes memory) {
        // The offers contract's own guard is held only inside an offer call; elsewhere a schedule change of someone
        // else's offer fails on the recycler check.
        if (selector == IVoucherOffers.setSchedule.selector && !_insideOffers(s)) {
            return abi.encodeWithSelector(IVoucherOffers.NotRecycler.selector, a, honestOffer);
        }
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
        return
            uint256(s) >= uint256(Scenario.DistributorClaimsEth) &&
            s != Scenario.SellerPaidOnOfferSale &&
            s != Scenario.RecyclerRefundedOnCancel;
    }

    /// @dev Whether the attacked call runs inside the offers contract (its guard held).
    function _insideOffers(Scenario s) internal pure returns (bool) {
        return uint256(s) >= uint256(Scenario.SellerPaidOnOfferSale);
    }

    function _revertsWhenHookReverts(Scenario s) internal pure returns (bool) {
        return
            s == Scenario.DistributorClaimsEth ||
            s == Scenario.BuyerPaysInHookToken ||
            s == Scenario.BuyerPaysBondInHookToken ||
            s == Scenario.DistributorClaimsHookToken ||
            s == Scenario.RecyclerPaysInHookToken;
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
        } else if (s == Scenario.DistributorClaimsHookToken) {
            id = _listBacked(seller, address(hook), PRICE_HOOK);
            _fund(address(hook), buyer, PRICE_HOOK);
            _buy(buyer, id, a);
        } else if (s == Scenario.SellerPaidOnOfferSale || s == Scenario.SellerPaidInHookTokenOnOfferSale) {
            address token = s == Scenario.SellerPaidOnOfferSale ? ETH : address(hook);
            if (token != ETH) _fund(token, buyer, 10 * PRICE_HOOK);
            preparedOffer = _postOffer(buyer, BRAND_BACKED, token, token == ETH ? 1 ether : PRICE_HOOK);
            preparedCard = _issueBacked(a);
        } else if (s == Scenario.RecyclerRefundedOnCancel || s == Scenario.RecyclerRefundedInHookToken) {
            address token = s == Scenario.RecyclerRefundedOnCancel ? ETH : address(hook);
            preparedOffer = _postOffer(a, BRAND_BACKED, token, token == ETH ? 1 ether : PRICE_HOOK);
        }
        // RecyclerPaysInHookToken: nothing to prepare, the attacker posts.
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
        if (s == Scenario.SellerPaidOnOfferSale || s == Scenario.SellerPaidInHookTokenOnOfferSale) {
            uint256[] memory cards = new uint256[](1);
            cards[0] = preparedCard;
            vm.prank(address(attacker));
            try offers.sell(preparedOffer, cards, 0, address(0)) {
                return true;
            } catch {
                return false;
            }
        }
        if (s == Scenario.RecyclerRefundedOnCancel || s == Scenario.RecyclerRefundedInHookToken) {
            vm.prank(address(attacker));
            try offers.cancel(preparedOffer) {
                return true;
            } catch {
                return false;
            }
        }
        if (s == Scenario.RecyclerPaysInHookToken) {
            vm.prank(address(attacker));
            try offers.post(_offerParams(BRAND_BACKED, address(hook)), _flatSchedule(), PRICE_HOOK) {
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
        // The exchange's offer entry points (offers contract only, or owner) ...
        e[36] = abi.encodeCall(IVoucherExchange.fundOffer, (ownOffer[a], ETH, a, 1));
        e[37] = abi.encodeCall(IVoucherExchange.refundOffer, (honestOffer, a, 1));
        IVoucherExchange.OfferCard[] memory cards = new IVoucherExchange.OfferCard[](1);
        cards[0] = IVoucherExchange.OfferCard(heldVoucher[a], 1e6, expiresAt, true);
        e[38] = abi.encodeCall(
            IVoucherExchange.sellToOffer,
            (IVoucherExchange.OfferSale(honestOffer, a, a, address(0), BUYER_KEY), cards)
        );
        e[39] = abi.encodeCall(IVoucherExchange.setOffers, (a));
        // ... and the offers contract's: a new offer, a top-up and cancel of its own, a sale of its own card into an
        // honest offer, and a schedule change of the honest offer.
        e[40] = abi.encodeCall(IVoucherOffers.post, (_offerParams(BRAND_CODED, ETH), _flatSchedule(), 1e6));
        e[41] = abi.encodeCall(IVoucherOffers.topUp, (ownOffer[a], 1));
        e[42] = abi.encodeCall(IVoucherOffers.cancel, (ownOffer[a]));
        e[43] = abi.encodeCall(IVoucherOffers.sell, (honestOffer, ids, 0, address(0)));
        e[44] = abi.encodeCall(IVoucherOffers.setSchedule, (honestOffer, _flatSchedule()));
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
            selector == IVoucherExchange.joinDistributors.selector ||
            selector == IVoucherExchange.fundOffer.selector ||
            selector == IVoucherExchange.refundOffer.selector ||
            selector == IVoucherExchange.sellToOffer.selector ||
            // The offers contract's entries either hit its own guard or reach the exchange's.
            selector == IVoucherOffers.post.selector ||
            selector == IVoucherOffers.topUp.selector ||
            selector == IVoucherOffers.cancel.selector ||
            selector == IVoucherOffers.sell.selector ||
            selector == IVoucherOffers.setSchedule.selector;
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
        uint256 offerCount = offers.offerCount();
        for (uint256 id = 1; id <= offerCount; ++id) acc = keccak256(abi.encode(acc, offers.offer(id)));
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
            uint256 owed = _escrow(assets[t]) + _offerBudgets(assets[t]);
            for (uint256 p; p < parties.length; ++p) owed += exchange.credits(parties[p], assets[t]);
            vm.assertEq(
                _balanceOf(assets[t], address(exchange)),
                owed,
                "exchange balance != escrow + budgets + credits"
            );
        }
    }
}
