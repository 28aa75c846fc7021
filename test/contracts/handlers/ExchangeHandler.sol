// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherExchange} from "../../../contracts/interfaces/IVoucherExchange.sol";
import {IVoucherOffers} from "../../../contracts/interfaces/IVoucherOffers.sol";
import {IVoucherToken} from "../../../contracts/interfaces/IVoucherToken.sol";
import {IExchange, ITestStablecoin} from "../utils/Interfaces.sol";
import {Vm} from "../utils/Vm.sol";

/// @title ExchangeHandler
/// @notice Drives bounded random sequences against the exchange for the invariant test: list, buy in ETH and in the
/// stablecoin, deliver, confirm, dispute (paying the bond), resolve, the three timed exits, cancel, update the price,
/// claim, fee changes from random senders, owner changes of level shares, treasury, windows, minimum prices and the
/// dispute bond between purchase and settlement, distributor joins and time warps, each by a randomly chosen actor (one
/// of which refuses ETH). Sellers also try to list vouchers whose code a refunded dispute disclosed, and to mint cards
/// whose number is already taken.
/// Every action predicts its exact effect on every tracked party (an independent re-implementation of the split) and
/// compares it with what happened; each mismatch is recorded against the invariant it breaks, and ghost sums keep what
/// the exchange must hold. Not a test suite itself (no `test`/`invariant` functions), so the runner only deploys it.
contract ExchangeHandler {
    Vm private constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);
    uint256 private constant BPS = 10_000;
    uint256 private constant MIN_PRICE_FLOOR = 10_000;
    uint256 private constant ACTORS = 7;
    /// @dev Actors plus the treasury: every account that can ever hold a credit.
    uint256 private constant TRACKED = 8;
    uint256 private constant ASSETS = 2;
    bytes32 private constant BUYER_KEY = keccak256("handler buyer key");
    bytes private constant SEALED_EVIDENCE = hex"5ea1ed0e0de1dace";
    uint256 private constant BRAND_CODED = 1;

    IExchange public immutable exchange;
    IVoucherOffers public immutable offers;
    IVoucherToken public immutable voucher;
    ITestStablecoin public immutable usd;
    address public immutable owner;
    /// @notice The treasury at deployment (tracked last); the owner may move it to any tracked account.
    address public immutable treasury;
    address public immutable arbiter;
    address public immutable issuer;
    /// @notice The actor whose `receive` reverts: its ETH can only wait as a credit.
    address public immutable refuser;

    address[TRACKED] private _accounts;

    /// @dev What the handler knows about each trade, independently of the exchange's own record.
    struct Ghost {
        IVoucherExchange.Status status;
        bool instant;
        uint16 feeBps;
        address payToken;
        address seller;
        address buyer;
        address referrer;
        /// @dev The terms in force at purchase, as the handler saw them, and the exchange's quote just before the buy.
        address termsTreasury;
        uint16[3] levelBps;
        uint32 confirmWindow;
        uint32 arbitrationWindow;
        uint16 bondBps;
        uint256[3] quotedShares;
        uint256 quotedTreasury;
        uint256 purchasedAt;
        bool referrerJoinedAtQuote;
        uint256 tokenId;
        uint256 price;
        /// @dev The dispute bond paid into escrow (zero unless disputed).
        uint256 bond;
        uint256 paidIn;
        uint256 paidOut;
        uint256 payouts;
    }

    mapping(uint256 tradeId => Ghost) private ghost;
    uint256 public trades;
    mapping(uint256 tokenId => uint256 tradeId) public latestTrade;
    uint256[] public tokenIds;
    mapping(uint256 tokenId => address holder) public ghostHolder;
    /// @notice Vouchers whose code a refunded dispute disclosed: they must never be listed (so never sold) again.
    mapping(uint256 tokenId => bool) public ghostDisclosed;
    /// @notice Card fingerprints minted so far (brand 1), and the voucher each belongs to.
    bytes32[] public cardHashes;
    mapping(bytes32 cardHash => uint256 tokenId) public ghostCardToken;

    /// @notice Escrow of open orders per asset (0 = ETH, 1 = stablecoin): their prices and the bonds of disputed ones.
    uint256[ASSETS] public ghostEscrow;
    /// @notice Everything credited and everything claimed, per tracked account and asset.
    uint256[ASSETS][TRACKED] public ghostCredited;
    uint256[ASSETS][TRACKED] public ghostClaimed;
    /// @notice Sum over tracked accounts of credited - claimed, per asset: what the exchange owes in credits.
    uint256[ASSETS] public ghostOwedTotal;
    /// @notice Paid in and paid out (price and bond) over settled and refunded orders, per asset.
    uint256[ASSETS] public ghostFinalPaidIn;
    uint256[ASSETS] public ghostFinalPaidOut;
    mapping(address account => bool) public joined;
    mapping(address account => address) public uplineOf;
    mapping(address account => uint256) public joinedAt;

    /// @notice The first violation seen for each docs/security.md invariant (index = invariant number), empty if none:
    /// 1-9, then 10 "no sale of a disclosed code" and 11 "one card, one voucher".
    string[12] public violation;
    /// @notice Bit `i` set once invariant `i` was violated (one cheap read for the per-call invariant check).
    uint256 public violationMask;
    /// @notice Calls made, by action, and how many ended in a final state through a timed exit.
    mapping(bytes32 action => uint256) public calls;
    uint256 public timedExits;
    /// @notice Settlements whose referrer joined in the purchase's own second, after the quote.
    uint256 public lateJoinsInPurchaseSecond;

    /// @dev What the handler knows about each recycler's offer: a flat one-tier schedule at `rateBps`.
    struct OfferGhost {
        address recycler;
        address token;
        uint256 budget;
        uint256 unitPrice;
        uint256 rateBps;
        uint256 cardsLeft;
        uint256 expiresAt;
        uint32 brandId;
        bool open;
    }

    mapping(uint256 offerId => OfferGhost) private offerGhost;
    uint256 public offerCount;
    /// @notice The open offers' budgets per asset, escrowed in the exchange (invariant 1 counts them).
    uint256[ASSETS] public ghostBudget;
    /// @notice Trade ids of issuer-backed cards sold into offers: settled in the sale, with no stored trade.
    mapping(uint256 tradeId => bool) public instantOfferSale;

    constructor(IExchange exchange_, IVoucherToken voucher_, ITestStablecoin usd_, address issuer_, address refuser_) {
        exchange = exchange_;
        offers = IVoucherOffers(exchange_.offers());
        voucher = voucher_;
        usd = usd_;
        owner = exchange_.owner();
        treasury = exchange_.treasury();
        arbiter = exchange_.arbiter();
        issuer = issuer_;
        refuser = refuser_;
        for (uint256 i; i < ACTORS - 1; ++i) {
            _accounts[i] = address(uint160(uint256(keccak256(abi.encode("kaquan.actor", i)))));
        }
        _accounts[ACTORS - 1] = refuser_;
        _accounts[TRACKED - 1] = treasury;
        for (uint256 i; i < ACTORS; ++i) {
            vm.startPrank(_accounts[i]);
            voucher.setApprovalForAll(address(exchange), true);
            usd.approve(address(exchange), type(uint256).max);
            vm.stopPrank();
        }
    }

    // ─── Actions (the fuzzer's targets) ──────────────────────────────────────────────────────────────────────────

    /// @notice An actor lists a voucher it holds (a fresh one, or one it bought or got back).
    function list(uint256 actorSeed, uint256 voucherSeed, bool inUsd, uint256 priceSeed, bool issuerBacked) external {
        _list(_actor(actorSeed), voucherSeed, inUsd ? address(usd) : address(0), priceSeed, issuerBacked);
    }

    function _list(
        address seller,
        uint256 voucherSeed,
        address payToken,
        uint256 priceSeed,
        bool issuerBacked
    ) private returns (uint256 listingId) {
        uint256 tokenId = _voucherOf(seller, voucherSeed, issuerBacked);
        uint256 price = _price(priceSeed, payToken);
        bool disclosed = ghostDisclosed[tokenId];
        vm.prank(seller);
        try exchange.list(tokenId, payToken, price) returns (uint256 id) {
            if (disclosed) _fail(10, "a voucher whose code was disclosed was listed again");
            listingId = id;
            _count("list");
            uint256 n = ++trades;
            if (id != n) _fail(4, "listing id is not the next trade id");
            Ghost storage g = ghost[id];
            g.status = IVoucherExchange.Status.Listed;
            g.instant = voucher.voucher(tokenId).issuerBacked;
            g.payToken = payToken;
            g.seller = seller;
            g.tokenId = tokenId;
            g.price = price;
            latestTrade[tokenId] = id;
            ghostHolder[tokenId] = address(exchange);
            _checkTrade(id);
        } catch (bytes memory reason) {
            // A valid listing by its owner, unpaused, with an allowed price and token, must go through; a disclosed
            // voucher's must fail for exactly that reason.
            if (!disclosed) _fail(4, "a valid listing reverted");
            else if (
                keccak256(reason) !=
                keccak256(abi.encodeWithSelector(IVoucherExchange.VoucherDisclosed.selector, tokenId))
            ) {
                _fail(10, "a disclosed voucher's listing failed for another reason");
            }
        }
    }

    /// @notice An actor other than the seller buys a listing, paying in ETH.
    function buyInEth(uint256 actorSeed, uint256 listingSeed, uint256 referrerSeed) external {
        _buy(actorSeed, listingSeed, referrerSeed, address(0));
    }

    /// @notice An actor other than the seller buys a listing, paying in the stablecoin.
    function buyInStablecoin(uint256 actorSeed, uint256 listingSeed, uint256 referrerSeed) external {
        _buy(actorSeed, listingSeed, referrerSeed, address(usd));
    }

    function deliver(uint256 orderSeed) external {
        (uint256 id, bool found) = _pick(orderSeed, IVoucherExchange.Status.AwaitingDelivery);
        if (!found || block.timestamp > exchange.trade(id).deadline) return;
        _count("deliver");
        vm.prank(ghost[id].seller);
        try exchange.deliverCode(id, hex"c0de") {
            if (exchange.trade(id).deadline != block.timestamp + ghost[id].confirmWindow) {
                _fail(9, "a delivery did not get the confirm window of its purchase");
            }
            _moved(id, IVoucherExchange.Status.Delivered);
        } catch {
            _fail(4, "a delivery inside the window reverted");
        }
    }

    function confirm(uint256 orderSeed) external {
        (uint256 id, bool found) = _pick(orderSeed, IVoucherExchange.Status.Delivered);
        if (!found) return;
        _count("confirm");
        Before memory b = _before(id);
        vm.prank(ghost[id].buyer);
        try exchange.confirm(id) {
            _settled(id, b);
        } catch {
            _fail(4, "a buyer's confirm reverted");
        }
    }

    /// @notice The buyer disputes, paying the bond of its purchase's terms (in ETH, or pulled in the stablecoin).
    function dispute(uint256 orderSeed) external {
        (uint256 id, bool found) = _pick(orderSeed, IVoucherExchange.Status.Delivered);
        if (!found || block.timestamp > exchange.trade(id).deadline) return;
        _count("dispute");
        Ghost storage g = ghost[id];
        uint256 bond = (g.price * g.bondBps) / BPS;
        if (exchange.disputeBond(id) != bond) _fail(9, "the dispute bond differs from the bond of the purchase");
        address token = g.payToken;
        if (token == address(0)) vm.deal(g.buyer, g.buyer.balance + bond);
        else usd.faucet(g.buyer, bond);
        Before memory b = _before(id);
        vm.prank(g.buyer);
        try exchange.dispute{value: token == address(0) ? bond : 0}(id, SEALED_EVIDENCE) {
            if (exchange.trade(id).deadline != block.timestamp + g.arbitrationWindow) {
                _fail(9, "a dispute did not get the arbitration window of its purchase");
            }
            g.bond = bond;
            g.paidIn += bond;
            ghostEscrow[_asset(token)] += bond;
            _moved(id, IVoucherExchange.Status.Disputed);
            _paidIntoEscrow(b, token, g.buyer, bond);
        } catch {
            _fail(4, "a dispute inside the window reverted");
        }
    }

    function resolve(uint256 orderSeed, bool refundBuyer) external {
        (uint256 id, bool found) = _pick(orderSeed, IVoucherExchange.Status.Disputed);
        if (!found || block.timestamp > exchange.trade(id).deadline) return;
        _count("resolve");
        Before memory b = _before(id);
        vm.prank(arbiter);
        try exchange.resolve(id, refundBuyer) {
            if (refundBuyer) _refunded(id, b);
            else _settled(id, b);
        } catch {
            _fail(4, "a ruling inside the window reverted");
        }
    }

    /// @notice Anyone ends whichever open order's deadline has passed: finalize, cancelUndelivered or expireDispute.
    function timeout(uint256 orderSeed, uint256 callerSeed) external {
        (uint256 id, bool found) = _pickOpen(orderSeed);
        if (!found || block.timestamp <= exchange.trade(id).deadline) return;
        _count("timeout");
        _timedExit(id, _actor(callerSeed));
    }

    function cancelListing(uint256 listingSeed) external {
        (uint256 id, bool found) = _pick(listingSeed, IVoucherExchange.Status.Listed);
        if (!found) return;
        _count("cancel");
        address seller = ghost[id].seller;
        vm.prank(seller);
        try exchange.cancelListing(id) {
            ghostHolder[ghost[id].tokenId] = seller;
            _moved(id, IVoucherExchange.Status.Cancelled);
        } catch {
            _fail(4, "a seller's cancel reverted");
        }
    }

    /// @notice A seller changes its price in front of whatever buy comes next.
    function updatePrice(uint256 listingSeed, uint256 priceSeed) external {
        (uint256 id, bool found) = _pick(listingSeed, IVoucherExchange.Status.Listed);
        if (!found) return;
        _count("updatePrice");
        uint256 price = _price(priceSeed, ghost[id].payToken);
        vm.prank(ghost[id].seller);
        try exchange.updatePrice(id, price) {
            ghost[id].price = price;
            _checkTrade(id);
        } catch {
            _fail(4, "a seller's price update reverted");
        }
    }

    /// @notice An actor (or the treasury) claims its credit; the refusing actor's ETH claim must fail and keep it.
    function claim(uint256 accountSeed, bool inUsd) external {
        uint256 who = accountSeed % TRACKED;
        address account = _accounts[who];
        uint256 asset = inUsd ? 1 : 0;
        address token = inUsd ? address(usd) : address(0);
        uint256 credit = exchange.credits(account, token);
        if (credit == 0) return;
        _count("claim");
        uint256[ASSETS][TRACKED] memory creditsBefore = _allCredits();
        uint256 balanceBefore = _balance(token, account);
        vm.prank(account);
        try exchange.claim(token) {
            ghostClaimed[who][asset] += credit;
            ghostOwedTotal[asset] -= credit;
            if (_balance(token, account) != balanceBefore + credit) _fail(6, "a claim paid the wrong amount");
            if (account == refuser && !inUsd) _fail(8, "a refusing account received ETH");
        } catch {
            if (!(account == refuser && !inUsd)) _fail(8, "a claim by an accepting account reverted");
        }
        uint256[ASSETS][TRACKED] memory creditsAfter = _allCredits();
        for (uint256 i; i < TRACKED; ++i) {
            for (uint256 a; a < ASSETS; ++a) {
                if (i == who && a == asset) continue;
                if (creditsAfter[i][a] != creditsBefore[i][a]) _fail(6, "a claim moved another account's credit");
            }
        }
        _checkCredits();
    }

    /// @notice A random sender (the owner one time in four) sets a random fee; only the owner inside [100, 300] may.
    function setFee(uint256 senderSeed, uint16 feeBps) external {
        _count("setFee");
        address sender = senderSeed % 4 == 0 ? owner : _actor(senderSeed);
        bool allowed = sender == owner && feeBps >= 100 && feeBps <= 300;
        uint16 previous = exchange.protocolFeeBps();
        vm.prank(sender);
        try exchange.setProtocolFee(feeBps) {
            if (!allowed) _fail(3, "a fee setter call that must revert went through");
        } catch {
            if (allowed) _fail(3, "the owner could not set a fee inside the bounds");
        }
        uint16 fee = exchange.protocolFeeBps();
        if (fee != (allowed ? feeBps : previous)) _fail(3, "the fee is not what the setter allowed");
    }

    /// @notice The owner sets random level shares; only sums up to half the fee may go through.
    function setLevelShares(uint16 l1, uint16 l2, uint16 l3) external {
        _count("setLevelShares");
        uint16[3] memory shares = [l1 % 6000, l2 % 6000, l3 % 6000];
        bool allowed = uint256(shares[0]) + shares[1] + shares[2] <= 5000;
        vm.prank(owner);
        try exchange.setLevelShares(shares) {
            if (!allowed) _fail(9, "level shares above half the fee went through");
        } catch {
            if (allowed) _fail(9, "the owner could not set valid level shares");
        }
    }

    /// @notice The owner moves the treasury to a random tracked account.
    function setTreasury(uint256 accountSeed) external {
        _count("setTreasury");
        vm.prank(owner);
        exchange.setTreasury(_accounts[accountSeed % TRACKED]);
    }

    /// @notice The owner sets random windows inside [1 hour, 30 days].
    function setWindows(uint32 delivery, uint32 confirm_, uint32 arbitration) external {
        _count("setWindows");
        vm.prank(owner);
        exchange.setWindows(_window(delivery), _window(confirm_), _window(arbitration));
    }

    /// @notice The owner sets a random minimum price for ETH or the stablecoin (open listings keep their prices).
    function setMinPrice(uint256 seed, bool inUsd) external {
        _count("setMinPrice");
        vm.prank(owner);
        exchange.setPayToken(inUsd ? address(usd) : address(0), uint96(MIN_PRICE_FLOOR + (seed % 1_000_000)));
    }

    /// @notice The owner sets a random dispute bond; only [100, 5000] bps may go through, and open orders keep theirs.
    function setDisputeBond(uint16 bondBps) external {
        _count("setDisputeBond");
        bondBps = bondBps % 6000;
        bool allowed = bondBps >= 100 && bondBps <= 5000;
        uint16 previous = exchange.disputeBondBps();
        vm.prank(owner);
        try exchange.setDisputeBond(bondBps) {
            if (!allowed) _fail(9, "a dispute bond outside [100, 5000] bps went through");
        } catch {
            if (allowed) _fail(9, "the owner could not set a valid dispute bond");
        }
        if (exchange.disputeBondBps() != (allowed ? bondBps : previous)) _fail(9, "the bond is not what was set");
    }

    /// @notice An actor joins the distributor network under a random upline (possibly itself, or one not joined).
    function joinDistributors(uint256 actorSeed, uint256 uplineSeed, bool asRoot) external {
        _count("join");
        address account = _actor(actorSeed);
        address upline = asRoot ? address(0) : _actor(uplineSeed);
        bool allowed = !joined[account] && (upline == address(0) || joined[upline]);
        vm.prank(account);
        try exchange.joinDistributors(upline) {
            if (!allowed) _fail(7, "a join that must revert went through");
            joined[account] = true;
            uplineOf[account] = upline;
            joinedAt[account] = block.timestamp;
        } catch {
            if (allowed) _fail(7, "a valid join reverted");
        }
        _checkTree();
    }

    function warp(uint256 secondsSeed) external {
        _count("warp");
        vm.warp(block.timestamp + 1 + (secondsSeed % 4 days));
    }

    // ─── Recyclers' offers ───────────────────────────────────────────────────────────────────────────────────────

    /// @notice An actor posts a flat-rate offer for the coded or the issuer-backed brand, in ETH or the stablecoin.
    function postOffer(uint256 actorSeed, bool inUsd, bool backedBrand, uint256 budgetSeed, uint256 rateSeed) external {
        address recycler = _actor(actorSeed);
        address token = inUsd ? address(usd) : address(0);
        uint256 unitPrice = inUsd ? 10_000 : 1e12;
        uint256 rate = 1000 + (rateSeed % 9001);
        // One to twenty cards' worth (a coded card is 500.00, an issuer-backed one 25.00).
        uint256 card = (uint256(backedBrand ? 2_500 : 50_000) * unitPrice * rate) / BPS;
        uint256 budget = card * (1 + (budgetSeed % 20)) + (budgetSeed % 1000);
        if (inUsd) usd.faucet(recycler, budget);
        else vm.deal(recycler, recycler.balance + budget);
        IVoucherOffers.OfferParams memory p = IVoucherOffers.OfferParams({
            brandId: backedBrand ? 2 : 1,
            payToken: token,
            unitPrice: uint64(unitPrice),
            maxCards: uint32(1 + (budgetSeed % 25)),
            expiresAt: uint32(block.timestamp + 1 days + (rateSeed % 30 days)),
            attestedOnly: false,
            deliveryKey: BUYER_KEY
        });
        uint256 worthBefore = _worth(token, recycler);
        vm.prank(recycler);
        try offers.post{value: inUsd ? 0 : budget}(p, _flat(rate), budget) returns (uint256 id) {
            _count("postOffer");
            if (id != ++offerCount) _fail(1, "an offer id is not the next one");
            offerGhost[id] = OfferGhost({
                recycler: recycler,
                token: token,
                budget: budget,
                unitPrice: unitPrice,
                rateBps: rate,
                cardsLeft: p.maxCards,
                expiresAt: p.expiresAt,
                brandId: p.brandId,
                open: true
            });
            ghostBudget[_asset(token)] += budget;
            if (_worth(token, recycler) != worthBefore - budget) _fail(1, "posting moved the wrong amount");
            _checkOffer(id);
        } catch {
            // Only a budget below the token's minimum price may be refused.
            if (budget >= exchange.minPrice(token)) _fail(1, "a valid offer could not be posted");
        }
    }

    /// @notice The recycler adds to its open offer's budget.
    function topUpOffer(uint256 offerSeed, uint256 amountSeed) external {
        (uint256 id, bool found) = _pickOffer(offerSeed);
        if (!found || block.timestamp > offerGhost[id].expiresAt) return;
        _count("topUpOffer");
        OfferGhost storage o = offerGhost[id];
        uint256 amount = 1 + (amountSeed % 1e15);
        if (o.token == address(usd)) usd.faucet(o.recycler, amount);
        else vm.deal(o.recycler, o.recycler.balance + amount);
        vm.prank(o.recycler);
        try offers.topUp{value: o.token == address(0) ? amount : 0}(id, amount) {
            o.budget += amount;
            ghostBudget[_asset(o.token)] += amount;
        } catch {
            _fail(1, "a top-up of an open offer reverted");
        }
        _checkOffer(id);
    }

    /// @notice The recycler changes its rate in front of whatever sale comes next.
    function setOfferRate(uint256 offerSeed, uint256 rateSeed) external {
        (uint256 id, bool found) = _pickOffer(offerSeed);
        if (!found || block.timestamp > offerGhost[id].expiresAt) return;
        _count("setOfferRate");
        uint256 rate = 1000 + (rateSeed % 9001);
        vm.prank(offerGhost[id].recycler);
        try offers.setSchedule(id, _flat(rate)) {
            offerGhost[id].rateBps = rate;
        } catch {
            _fail(1, "a schedule change of an open offer reverted");
        }
    }

    /// @notice The recycler (or anyone, once the offer expired) cancels it: exactly the unspent budget goes back.
    function cancelOffer(uint256 offerSeed, uint256 callerSeed) external {
        (uint256 id, bool found) = _pickOffer(offerSeed);
        if (!found) return;
        _count("cancelOffer");
        _cancelOffer(id, block.timestamp > offerGhost[id].expiresAt ? _actor(callerSeed) : offerGhost[id].recycler);
    }

    function _cancelOffer(uint256 id, address caller) private {
        OfferGhost storage o = offerGhost[id];
        uint256 worthBefore = _worth(o.token, o.recycler);
        vm.prank(caller);
        try offers.cancel(id) {
            o.open = false;
            ghostBudget[_asset(o.token)] -= o.budget;
            if (_worth(o.token, o.recycler) != worthBefore + o.budget) {
                _fail(1, "a cancel did not return exactly the unspent budget");
            }
            o.budget = 0;
            _creditDeltas(o.token);
        } catch {
            _fail(1, "a cancel reverted");
        }
        _checkOffer(id);
    }

    /// @notice An actor sells one to three fresh cards of the offer's brand into it, with a random referrer. The
    /// handler predicts every price from the flat rate and every party's gain; a sale the budget cannot cover must
    /// revert (an offer never pays more than it holds).
    function sellToOffer(uint256 offerSeed, uint256 actorSeed, uint256 countSeed, uint256 referrerSeed) external {
        (uint256 id, bool found) = _pickOffer(offerSeed);
        if (!found) return;
        OfferGhost storage o = offerGhost[id];
        address seller = _actor(actorSeed);
        if (seller == o.recycler) seller = _actor((actorSeed % ACTORS) + 1);
        uint256 n = 1 + (countSeed % 3);
        if (block.timestamp > o.expiresAt || n > o.cardsLeft) return;
        _count("sellToOffer");
        bool backed = o.brandId == 2;
        uint256 price = (uint256(backed ? 2_500 : 50_000) * o.unitPrice * o.rateBps) / BPS;
        uint256[] memory ids = new uint256[](n);
        // Fresh vouchers (odd seeds): ids ascend.
        for (uint256 i; i < n; ++i) ids[i] = _voucherOf(seller, 1 + 2 * (countSeed + i), backed);
        address referrer = referrerSeed % 3 == 0 ? address(0) : _actor(referrerSeed);
        Before memory b;
        for (uint256 i; i < TRACKED; ++i) b.worth[i] = _worth(o.token, _accounts[i]);
        b.exchangeBalance = _balance(o.token, address(exchange));
        b.accountsBalance = _accountsBalance(o.token);
        uint256 first = trades + 1;
        uint16 feeBps = exchange.protocolFeeBps();
        for (uint256 i; i < n; ++i) _openOfferTrade(first + i, ids[i], price, feeBps, o, seller, referrer, backed);
        vm.prank(seller);
        try offers.sell(id, ids, n * price, referrer) returns (uint256 total) {
            if (n * price > o.budget) _fail(1, "an offer paid more than it held");
            if (total != n * price) _fail(2, "a sale's total differs from the schedule");
            if (exchange.tradeCount() != first + n - 1) _fail(4, "a sale did not allocate one trade id per card");
            trades = first + n - 1;
            o.budget -= total;
            o.cardsLeft -= n;
            ghostBudget[_asset(o.token)] -= total;
            _soldToOffer(first, n, b, o.token, backed);
        } catch (bytes memory reason) {
            bytes memory short = abi.encodeWithSelector(
                IVoucherExchange.OfferFundsShort.selector,
                id,
                o.budget,
                n * price
            );
            if (n * price <= o.budget || keccak256(reason) != keccak256(short)) _fail(1, "a valid sale reverted");
            for (uint256 i; i < n; ++i) delete ghost[first + i];
        }
        _checkOffer(id);
    }

    /// @dev The ghost of one card of a sale: an order bought by the recycler at the offer's price, under the terms in
    /// force now (the exchange's split preview for these parties stands in for the purchase quote).
    function _openOfferTrade(
        uint256 id,
        uint256 tokenId,
        uint256 price,
        uint16 feeBps,
        OfferGhost storage o,
        address seller,
        address referrer,
        bool backed
    ) private {
        Ghost storage g = ghost[id];
        g.instant = backed;
        g.feeBps = feeBps;
        g.payToken = o.token;
        g.seller = seller;
        g.buyer = o.recycler;
        g.tokenId = tokenId;
        g.price = price;
        g.paidIn = price;
        _recordTerms(g, exchange.previewSplit(price, feeBps, referrer, o.recycler, seller), referrer);
    }

    /// @dev After a sale: issuer-backed cards settled (each party's exact gain, summed over the batch), coded cards are
    /// open orders of the recycler with their price moved from the budget to escrow.
    function _soldToOffer(uint256 first, uint256 n, Before memory b, address token, bool backed) private {
        uint256[TRACKED] memory gain;
        for (uint256 i; i < n; ++i) {
            uint256 id = first + i;
            Ghost storage g = ghost[id];
            latestTrade[g.tokenId] = id;
            if (backed) {
                uint256 fee = (g.price * g.feeBps) / BPS;
                gain[_index(g.seller)] += g.price - fee;
                uint256 remaining = fee - _distributorGains(g, fee, gain);
                if (remaining != g.quotedTreasury) _fail(9, "a sale's treasury share differs from the preview");
                gain[_index(g.termsTreasury)] += remaining;
                g.status = IVoucherExchange.Status.Completed;
                g.paidOut = g.price;
                g.payouts = 1;
                instantOfferSale[id] = true;
                ghostHolder[g.tokenId] = g.buyer;
                ghostFinalPaidIn[_asset(token)] += g.price;
                ghostFinalPaidOut[_asset(token)] += g.price;
                if (voucher.ownerOf(g.tokenId) != g.buyer) _fail(5, "a card sold to an offer is not the recycler's");
                if (exchange.trade(id).status != IVoucherExchange.Status.None)
                    _fail(4, "an instant sale stored a trade");
            } else {
                g.status = IVoucherExchange.Status.AwaitingDelivery;
                ghostEscrow[_asset(token)] += g.price;
                ghostHolder[g.tokenId] = address(exchange);
                _checkTrade(id);
            }
        }
        _creditDeltas(token);
        for (uint256 i; i < TRACKED; ++i) {
            if (_worth(token, _accounts[i]) != b.worth[i] + gain[i])
                _fail(2, "a sale moved a party's holdings wrongly");
        }
        uint256 balances = _balance(token, address(exchange)) + _accountsBalance(token);
        if (balances != b.exchangeBalance + b.accountsBalance) _fail(1, "money left for an untracked address");
    }

    /// @dev The exchange's budget and the book's offer agree with the ghost.
    function _checkOffer(uint256 id) private {
        OfferGhost storage o = offerGhost[id];
        (address token, uint256 amount) = exchange.offerFunds(id);
        if (amount != o.budget || (amount != 0 && token != o.token))
            _fail(1, "an offer's budget differs from its ghost");
        IVoucherOffers.OfferView memory v = offers.offer(id);
        if (v.open != o.open || v.cardsLeft != o.cardsLeft) _fail(4, "an offer's state differs from its ghost");
    }

    function _pickOffer(uint256 seed) private view returns (uint256, bool) {
        uint256 n = offerCount;
        for (uint256 k; k < n; ++k) {
            uint256 id = ((seed + k) % n) + 1;
            if (offerGhost[id].open) return (id, true);
        }
        return (0, false);
    }

    function _flat(uint256 rate) private pure returns (IVoucherOffers.Schedule memory s) {
        s.tiers = new IVoucherOffers.Tier[](1);
        s.tiers[0] = IVoucherOffers.Tier({maxFaceValue: 1_000_000, rateBps: uint16(rate)});
    }

    /// @notice Open offers' budgets per asset (ghost).
    function ghostBudgets() external view returns (uint256[ASSETS] memory) {
        return ghostBudget;
    }

    // ─── End of a run: every deadline passes, everyone exits and claims ──────────────────────────────────────────

    /// @notice Called by the test's `afterInvariant`: closes every listing and order and claims every credit, then
    /// checks that only what refusing accounts still have to claim is left.
    function drainAll() external {
        vm.warp(block.timestamp + 31 days);
        for (uint256 id = 1; id <= offerCount; ++id) {
            if (offerGhost[id].open) _cancelOffer(id, address(0xD4A1));
        }
        for (uint256 id = 1; id <= trades; ++id) {
            IVoucherExchange.Status s = ghost[id].status;
            if (s == IVoucherExchange.Status.Listed) {
                vm.prank(ghost[id].seller);
                exchange.cancelListing(id);
                ghostHolder[ghost[id].tokenId] = ghost[id].seller;
                _moved(id, IVoucherExchange.Status.Cancelled);
            } else if (_isOpen(s)) {
                _timedExit(id, address(0xD4A1));
            }
        }
        for (uint256 i; i < TRACKED; ++i) {
            for (uint256 a; a < ASSETS; ++a) {
                address token = a == 0 ? address(0) : address(usd);
                uint256 credit = exchange.credits(_accounts[i], token);
                if (credit == 0) continue;
                vm.prank(_accounts[i]);
                try exchange.claim(token) {
                    ghostClaimed[i][a] += credit;
                    ghostOwedTotal[a] -= credit;
                } catch {
                    if (!(_accounts[i] == refuser && a == 0)) _fail(8, "a claim failed while draining");
                }
            }
        }
    }

    // ─── Views for the invariants ────────────────────────────────────────────────────────────────────────────────

    function accounts() external view returns (address[TRACKED] memory) {
        return _accounts;
    }

    function tokenCount() external view returns (uint256) {
        return tokenIds.length;
    }

    /// @notice Per tracked account and asset, what the ghost ledger says the exchange owes it (credited - claimed).
    function ghostOwed() external view returns (uint256[ASSETS][TRACKED] memory owed) {
        for (uint256 i; i < TRACKED; ++i) {
            for (uint256 a; a < ASSETS; ++a) owed[i][a] = ghostCredited[i][a] - ghostClaimed[i][a];
        }
    }

    /// @notice Per tracked account and asset, the credit the exchange itself reports.
    function exchangeCredits() external view returns (uint256[ASSETS][TRACKED] memory) {
        return _allCredits();
    }

    /// @notice Escrow of open orders and the final orders' paid-in and paid-out sums, per asset.
    function ghostSums()
        external
        view
        returns (
            uint256[ASSETS] memory escrow,
            uint256[ASSETS] memory owed,
            uint256[ASSETS] memory finalIn,
            uint256[ASSETS] memory finalOut
        )
    {
        return (ghostEscrow, ghostOwedTotal, ghostFinalPaidIn, ghostFinalPaidOut);
    }

    // ─── Buying and settling ─────────────────────────────────────────────────────────────────────────────────────

    /// @dev Worth (balance + credit) of every tracked account, and the exchange's balance, in the order's asset.
    struct Before {
        uint256[TRACKED] worth;
        uint256 exchangeBalance;
        uint256 accountsBalance;
    }

    function _buy(uint256 actorSeed, uint256 listingSeed, uint256 referrerSeed, address payToken) private {
        (uint256 id, bool found) = _pickListed(listingSeed, payToken);
        // No listing in this asset: someone lists one first, so most buys reach the later steps of an order.
        if (!found)
            id = _list(_actor(listingSeed), listingSeed, payToken, referrerSeed ^ listingSeed, listingSeed % 3 == 0);
        if (id == 0) return;
        Ghost storage g = ghost[id];
        address buyer = _actor(actorSeed);
        if (buyer == g.seller) buyer = _actor((actorSeed % ACTORS) + 1);
        address referrer = referrerSeed % 3 == 0 ? address(0) : _actor(referrerSeed);
        _count(payToken == address(0) ? bytes32("buyInEth") : bytes32("buyInStablecoin"));
        uint256 price = g.price;
        if (payToken == address(0)) vm.deal(buyer, buyer.balance + price);
        else usd.faucet(buyer, price);

        Before memory b = _before(id);
        uint16 feeBps = exchange.protocolFeeBps();
        _recordTermsAtPurchase(g, id, buyer, referrer);
        vm.prank(buyer);
        try exchange.buy{value: payToken == address(0) ? price : 0}(id, price, referrer, BUYER_KEY) {
            g.buyer = buyer;
            g.feeBps = feeBps;
            g.paidIn = price;
            if (exchange.trade(id).feeBps != feeBps) _fail(3, "the order did not store the fee it was funded at");
            if (g.instant) {
                // Paid in and out in one call: the buyer's worth drops by the price, the rest is the settlement.
                b.worth[_index(buyer)] -= price;
                b.exchangeBalance += price;
                b.accountsBalance -= price;
                _settled(id, b);
            } else {
                ghostEscrow[_asset(payToken)] += price;
                _moved(id, IVoucherExchange.Status.AwaitingDelivery);
                _paidIntoEscrow(b, payToken, buyer, price);
            }
        } catch {
            _fail(4, "a valid purchase reverted");
        }
    }

    /// @dev The terms in force just before a purchase and the exchange's quote for it, kept on the ghost. A referrer
    /// earns only if it had joined by the purchase's second (the exchange compares timestamps).
    function _recordTermsAtPurchase(Ghost storage g, uint256 id, address buyer, address referrer) private {
        vm.prank(buyer);
        _recordTerms(g, exchange.quote(id, referrer), referrer);
    }

    /// The split quoted at the purchase and the terms in force then, which the settlement must honour.
    function _recordTerms(Ghost storage g, IVoucherExchange.Split memory quoted, address referrer) private {
        g.quotedShares = quoted.distributorShares;
        g.quotedTreasury = quoted.treasuryShare;
        g.referrer = referrer;
        g.referrerJoinedAtQuote = joined[referrer];
        g.purchasedAt = block.timestamp;
        g.termsTreasury = exchange.treasury();
        g.levelBps = exchange.levelShares();
        (, g.confirmWindow, g.arbitrationWindow) = exchange.windows();
        g.bondBps = exchange.disputeBondBps();
    }

    function _timedExit(uint256 id, address caller) private {
        IVoucherExchange.Status s = ghost[id].status;
        Before memory b = _before(id);
        vm.prank(caller);
        if (s == IVoucherExchange.Status.AwaitingDelivery) {
            try exchange.cancelUndelivered(id) {
                _refunded(id, b);
            } catch {
                _fail(4, "cancelUndelivered after the deadline reverted");
            }
        } else if (s == IVoucherExchange.Status.Delivered) {
            try exchange.finalize(id) {
                _settled(id, b);
            } catch {
                _fail(4, "finalize after the deadline reverted");
            }
        } else {
            // An arbitration timeout settles as released: the seller gets the price less the fee, and the bond.
            try exchange.expireDispute(id) {
                _settled(id, b);
            } catch {
                _fail(4, "expireDispute after the deadline reverted");
            }
        }
        ++timedExits;
    }

    /// @dev The expected settlement, computed here from the fee, level shares and treasury in force at purchase and the
    /// ghost distributor tree; compared to the wei with what every tracked account actually gained, and with the
    /// exchange's own quote just before the purchase (invariant 9: whatever the owner changed since). A disputed order
    /// released by the arbiter or the timeout also pays the seller the buyer's bond.
    function _settled(uint256 id, Before memory b) private {
        Ghost storage g = ghost[id];
        if (ghostDisclosed[g.tokenId]) _fail(10, "a seller was paid for a voucher whose code was disclosed");
        uint256 fee = (g.price * g.feeBps) / BPS;
        if (g.feeBps < 100 || g.feeBps > 300) _fail(3, "an order settled at a fee outside [100, 300] bps");
        uint256[TRACKED] memory gain;
        gain[_index(g.seller)] += g.price - fee + g.bond;
        uint256 remaining = fee - _distributorGains(g, fee, gain);
        bool lateJoin = !g.referrerJoinedAtQuote && g.referrer != address(0) && joined[g.referrer];
        if (remaining != g.quotedTreasury && !(lateJoin && joinedAt[g.referrer] <= g.purchasedAt)) {
            _fail(9, "the treasury share differs from the quote at purchase");
        }
        if (remaining * 2 < fee) _fail(9, "the protocol kept less than half of a fee");
        gain[_index(g.termsTreasury)] += remaining;
        _creditDeltas(g.payToken);
        _checkGains(b, gain, id, 2);
        if (!g.instant) ghostEscrow[_asset(g.payToken)] -= g.price + g.bond;
        if (voucher.voucher(g.tokenId).disclosed) _fail(10, "a settled voucher is marked disclosed");
        ghostHolder[g.tokenId] = g.buyer;
        _moved(id, IVoucherExchange.Status.Completed);
    }

    /// @dev Adds each paid level's share to `gain` and returns their sum; each share must match the quote.
    function _distributorGains(
        Ghost storage g,
        uint256 fee,
        uint256[TRACKED] memory gain
    ) private returns (uint256 paid) {
        address level = g.referrer;
        if (level == address(0) || !joined[level] || joinedAt[level] > g.purchasedAt) level = address(0);
        // A referrer that joins later in the very second of the purchase counts (timestamps cannot order one block's
        // transactions); then, and only then, the settlement differs from the quote (see docs/security.md).
        bool quoteHolds = g.referrerJoinedAtQuote || level == address(0);
        for (uint256 i; i < 3 && level != address(0); ++i) {
            uint256 share;
            if (level != g.buyer && level != g.seller) share = (fee * g.levelBps[i]) / BPS;
            gain[_index(level)] += share;
            paid += share;
            if (quoteHolds && share != g.quotedShares[i]) {
                _fail(9, "a distributor's share differs from the quote at purchase");
            }
            level = uplineOf[level];
        }
        if (!quoteHolds) ++lateJoinsInPurchaseSecond;
    }

    /// @dev A refund: the buyer gets the price back, and after a dispute its bond too; the voucher returns to the
    /// seller, marked disclosed exactly when a dispute opened it (the buyer and the arbiter saw its code).
    function _refunded(uint256 id, Before memory b) private {
        Ghost storage g = ghost[id];
        uint256[TRACKED] memory gain;
        gain[_index(g.buyer)] = g.price + g.bond;
        _creditDeltas(g.payToken);
        _checkGains(b, gain, id, 2);
        ghostEscrow[_asset(g.payToken)] -= g.price + g.bond;
        ghostHolder[g.tokenId] = g.seller;
        if (g.bond != 0) ghostDisclosed[g.tokenId] = true;
        if (voucher.voucher(g.tokenId).disclosed != (g.bond != 0)) {
            _fail(10, "a refund's disclosed mark does not match whether it was disputed");
        }
        _moved(id, IVoucherExchange.Status.Refunded);
    }

    /// @dev Every tracked account gained exactly `gain` (nobody else gained or lost), no money left for an untracked
    /// address, and the order's payout is recorded once.
    function _checkGains(Before memory b, uint256[TRACKED] memory gain, uint256 id, uint256 invariant) private {
        Ghost storage g = ghost[id];
        uint256 total;
        uint256 recipients;
        for (uint256 i; i < TRACKED; ++i) {
            uint256 worth = _worth(g.payToken, _accounts[i]);
            if (worth != b.worth[i] + gain[i]) _fail(invariant, "a party's holdings moved by the wrong amount");
            total += gain[i];
            if (gain[i] != 0 && _isDistributorPayee(g, _accounts[i])) ++recipients;
        }
        if (recipients > 3) _fail(7, "more than three distributors were paid");
        if (total != g.paidIn) _fail(2, "an order's payouts do not sum to its price and bond");
        // Money only moves between the exchange and tracked accounts.
        uint256 balances = _balance(g.payToken, address(exchange)) + _accountsBalance(g.payToken);
        if (balances != b.exchangeBalance + b.accountsBalance) _fail(1, "money left for an untracked address");
        g.paidOut += total;
        if (++g.payouts != 1) _fail(4, "an order paid out twice");
        ghostFinalPaidIn[_asset(g.payToken)] += g.paidIn;
        ghostFinalPaidOut[_asset(g.payToken)] += total;
    }

    /// @dev Whether a gain of `account` can only be a distributor share: it is neither party to the order nor the
    /// treasury the order's fee remainder goes to (the owner may have moved it to any tracked account).
    function _isDistributorPayee(Ghost storage g, address account) private view returns (bool) {
        return account != g.seller && account != g.buyer && account != g.termsTreasury && account != treasury;
    }

    /// @dev Books every credit increase since `b` as credited (credits only ever grow outside `claim`).
    function _creditDeltas(address token) private {
        uint256 asset = _asset(token);
        for (uint256 i; i < TRACKED; ++i) {
            uint256 credit = exchange.credits(_accounts[i], token);
            uint256 booked = ghostCredited[i][asset] - ghostClaimed[i][asset];
            if (credit < booked) _fail(6, "a credit shrank outside a claim");
            else {
                ghostCredited[i][asset] += credit - booked;
                ghostOwedTotal[asset] += credit - booked;
            }
        }
    }

    function _before(uint256 id) private view returns (Before memory b) {
        address token = ghost[id].payToken;
        for (uint256 i; i < TRACKED; ++i) b.worth[i] = _worth(token, _accounts[i]);
        b.exchangeBalance = _balance(token, address(exchange));
        b.accountsBalance = _accountsBalance(token);
    }

    /// @dev A purchase into escrow: the buyer's worth drops by the price, nobody else's moves, the exchange gains it.
    function _paidIntoEscrow(Before memory b, address token, address buyer, uint256 price) private {
        uint256 who = _index(buyer);
        for (uint256 i; i < TRACKED; ++i) {
            uint256 expected = i == who ? b.worth[i] - price : b.worth[i];
            if (_worth(token, _accounts[i]) != expected) _fail(2, "a purchase moved the wrong amount");
        }
        if (_balance(token, address(exchange)) != b.exchangeBalance + price) _fail(1, "escrow did not arrive");
    }

    // ─── State tracking ──────────────────────────────────────────────────────────────────────────────────────────

    /// @dev Records a forward move and checks that the exchange agrees with the ghost.
    function _moved(uint256 id, IVoucherExchange.Status to) private {
        IVoucherExchange.Status from = ghost[id].status;
        if (!_allowed(from, to)) _fail(4, "an order moved backwards or skipped a state");
        ghost[id].status = to;
        _checkTrade(id);
    }

    function _checkTrade(uint256 id) private {
        IVoucherExchange.Trade memory t = exchange.trade(id);
        Ghost storage g = ghost[id];
        if (t.status != g.status) _fail(4, "the exchange's status differs from the observed transitions");
        if (t.seller != g.seller || t.payToken != g.payToken || t.price != g.price) {
            _fail(4, "a trade's terms changed");
        }
        if (!g.instant && t.buyer != g.buyer) _fail(4, "an order's buyer changed");
        _checkCustody(id);
    }

    /// @dev Invariant 5 for one trade: open ⇒ the exchange holds the voucher; completed ⇒ the buyer (until it
    /// resells); refunded or cancelled ⇒ the seller (until it relists).
    function _checkCustody(uint256 id) private {
        uint256 tokenId = ghost[id].tokenId;
        if (latestTrade[tokenId] != id) return;
        if (voucher.ownerOf(tokenId) != ghostHolder[tokenId]) _fail(5, "a voucher is not where its trade puts it");
    }

    function _checkCredits() private {
        for (uint256 i; i < TRACKED; ++i) {
            for (uint256 a; a < ASSETS; ++a) {
                address token = a == 0 ? address(0) : address(usd);
                if (ghostClaimed[i][a] > ghostCredited[i][a]) _fail(6, "claimed more than credited");
                uint256 expected = ghostCredited[i][a] - ghostClaimed[i][a];
                if (exchange.credits(_accounts[i], token) != expected) _fail(6, "a credit differs from its ghost");
            }
        }
    }

    /// @dev Invariant 7: from every account, the upline chain ends at a root within the number of accounts.
    function _checkTree() private {
        for (uint256 i; i < ACTORS; ++i) {
            address node = _accounts[i];
            (bool isJoined, address upline, ) = exchange.distributor(node);
            if (isJoined != joined[node] || upline != uplineOf[node]) _fail(7, "the distributor tree differs");
            for (uint256 steps; node != address(0); ++steps) {
                if (steps > ACTORS) {
                    _fail(7, "a distributor is its own ancestor");
                    break;
                }
                (, node, ) = exchange.distributor(node);
            }
        }
    }

    function _allowed(IVoucherExchange.Status from, IVoucherExchange.Status to) private pure returns (bool) {
        if (from == IVoucherExchange.Status.Listed) {
            return
                to == IVoucherExchange.Status.Cancelled ||
                to == IVoucherExchange.Status.AwaitingDelivery ||
                to == IVoucherExchange.Status.Completed;
        }
        if (from == IVoucherExchange.Status.AwaitingDelivery) {
            return to == IVoucherExchange.Status.Delivered || to == IVoucherExchange.Status.Refunded;
        }
        if (from == IVoucherExchange.Status.Delivered) {
            return to == IVoucherExchange.Status.Completed || to == IVoucherExchange.Status.Disputed;
        }
        if (from == IVoucherExchange.Status.Disputed) {
            return to == IVoucherExchange.Status.Completed || to == IVoucherExchange.Status.Refunded;
        }
        return false;
    }

    // ─── Picking ─────────────────────────────────────────────────────────────────────────────────────────────────

    function _pick(uint256 seed, IVoucherExchange.Status want) private view returns (uint256, bool) {
        uint256 n = trades;
        for (uint256 k; k < n; ++k) {
            uint256 id = ((seed + k) % n) + 1;
            if (ghost[id].status == want) return (id, true);
        }
        return (0, false);
    }

    function _pickListed(uint256 seed, address payToken) private view returns (uint256, bool) {
        uint256 n = trades;
        for (uint256 k; k < n; ++k) {
            uint256 id = ((seed + k) % n) + 1;
            if (ghost[id].status == IVoucherExchange.Status.Listed && ghost[id].payToken == payToken) return (id, true);
        }
        return (0, false);
    }

    function _pickOpen(uint256 seed) private view returns (uint256, bool) {
        uint256 n = trades;
        for (uint256 k; k < n; ++k) {
            uint256 id = ((seed + k) % n) + 1;
            if (_isOpen(ghost[id].status)) return (id, true);
        }
        return (0, false);
    }

    /// @dev A voucher `seller` holds: one of its own picked by the seed, or a fresh one. Before a fresh coded mint, one
    /// time in four the seller first tries to mint a card number that is already taken (invariant 11).
    function _voucherOf(address seller, uint256 seed, bool issuerBacked) private returns (uint256 tokenId) {
        uint256 n = tokenIds.length;
        for (uint256 k; k < n && seed % 2 == 0; ++k) {
            tokenId = tokenIds[(seed + k) % n];
            if (ghostHolder[tokenId] == seller) return tokenId;
        }
        uint64 expiry = uint64(block.timestamp + 3650 days);
        if (issuerBacked) {
            vm.prank(issuer);
            tokenId = voucher.issue(seller, 2, 2_500, expiry);
        } else {
            if (seed % 4 == 1 && cardHashes.length != 0) _tryDuplicateCard(seller, seed, expiry);
            tokenId = _mintCard(seller, seed, expiry);
        }
        tokenIds.push(tokenId);
        ghostHolder[tokenId] = seller;
    }

    /// @dev Mints a coded voucher with a card number never used before and checks the registry took it.
    function _mintCard(address seller, uint256 seed, uint64 expiry) private returns (uint256 tokenId) {
        bytes32 cardHash = keccak256(abi.encodePacked("kaquan.card", BRAND_CODED, vm.toString(cardHashes.length + 1)));
        vm.prank(seller);
        tokenId = voucher.mint(BRAND_CODED, 50_000, expiry, cardHash, keccak256(abi.encode(seed)), "");
        cardHashes.push(cardHash);
        ghostCardToken[cardHash] = tokenId;
        if (voucher.cardToken(BRAND_CODED, cardHash) != tokenId || voucher.voucher(tokenId).cardHash != cardHash) {
            _fail(11, "a fresh card number was not registered to its voucher");
        }
    }

    /// @dev A second voucher for a card number already taken (by any holder, at any time) must be refused, naming the
    /// voucher that has it.
    function _tryDuplicateCard(address seller, uint256 seed, uint64 expiry) private {
        bytes32 cardHash = cardHashes[seed % cardHashes.length];
        _count("duplicateCard");
        vm.prank(seller);
        try voucher.mint(BRAND_CODED, 50_000, expiry, cardHash, keccak256(abi.encode(seed, "again")), "") {
            _fail(11, "a second voucher was minted for a card number already taken");
        } catch (bytes memory reason) {
            bytes memory expected = abi.encodeWithSelector(
                IVoucherToken.DuplicateCard.selector,
                BRAND_CODED,
                cardHash,
                ghostCardToken[cardHash]
            );
            if (keccak256(reason) != keccak256(expected)) _fail(11, "a duplicate card failed for another reason");
        }
    }

    /// @notice Invariant 11 in full: every coded voucher minted holds its card number in the brand's registry, so no
    /// two vouchers of a brand share one (a registry entry names one voucher).
    function checkCardRegistry() external {
        uint256 n = cardHashes.length;
        for (uint256 i; i < n; ++i) {
            bytes32 cardHash = cardHashes[i];
            uint256 tokenId = ghostCardToken[cardHash];
            if (voucher.cardToken(BRAND_CODED, cardHash) != tokenId || voucher.voucher(tokenId).cardHash != cardHash) {
                _fail(11, "two vouchers share a card number, or the registry lost one");
            }
        }
    }

    function _price(uint256 seed, address payToken) private view returns (uint256) {
        // The faucet hands out at most 1,000,000 kUSD a call; ETH prices span the minimum to 1,000 ETH.
        uint256 floor = exchange.minPrice(payToken);
        return floor + (seed % ((payToken != address(0) ? 1_000_000e6 : 1_000 ether) - floor + 1));
    }

    function _window(uint32 seed) private pure returns (uint32) {
        return 1 hours + (seed % (30 days - 1 hours + 1));
    }

    function _actor(uint256 seed) private view returns (address) {
        return _accounts[seed % ACTORS];
    }

    function _index(address account) private view returns (uint256) {
        for (uint256 i; i < TRACKED; ++i) if (_accounts[i] == account) return i;
        revert("untracked account");
    }

    function _isOpen(IVoucherExchange.Status s) private pure returns (bool) {
        return
            s == IVoucherExchange.Status.AwaitingDelivery ||
            s == IVoucherExchange.Status.Delivered ||
            s == IVoucherExchange.Status.Disputed;
    }

    function _asset(address token) private pure returns (uint256) {
        return token == address(0) ? 0 : 1;
    }

    function _balance(address token, address account) private view returns (uint256) {
        return token == address(0) ? account.balance : usd.balanceOf(account);
    }

    function _worth(address token, address account) private view returns (uint256) {
        return _balance(token, account) + exchange.credits(account, token);
    }

    function _accountsBalance(address token) private view returns (uint256 sum) {
        for (uint256 i; i < TRACKED; ++i) sum += _balance(token, _accounts[i]);
    }

    function _allCredits() private view returns (uint256[ASSETS][TRACKED] memory c) {
        for (uint256 i; i < TRACKED; ++i) {
            c[i][0] = exchange.credits(_accounts[i], address(0));
            c[i][1] = exchange.credits(_accounts[i], address(usd));
        }
    }

    function _count(bytes32 action) private {
        ++calls[action];
    }

    function _fail(uint256 invariant, string memory reason) private {
        violationMask |= 1 << invariant;
        if (bytes(violation[invariant]).length == 0) violation[invariant] = reason;
    }
}
