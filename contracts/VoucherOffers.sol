// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IVoucherExchange} from "./interfaces/IVoucherExchange.sol";
import {IVoucherOffers} from "./interfaces/IVoucherOffers.sol";
import {IVoucherToken} from "./interfaces/IVoucherToken.sol";

/// @title VoucherOffers
/// @notice Recyclers' standing offers: the book (schedules, caps, expiries, pricing). It holds no money and no voucher:
/// budgets are escrowed in the exchange, which alone moves money and vouchers and never lets this contract spend more
/// than an offer holds. Immutable: no owner, no proxy.
contract VoucherOffers is IVoucherOffers, ReentrancyGuardTransient {
    uint256 public constant MAX_TIERS = 4;
    /// @notice Lowest tier rate: a schedule cannot advertise a brand at a token price.
    uint16 public constant MIN_RATE_BPS = 1000;
    /// @notice Largest batch bonus, and largest near-expiry adjustment either way.
    uint16 public constant MAX_BONUS_BPS = 1000;
    /// @notice Most cards one sale or quote takes, as the exchange's batches.
    uint256 public constant MAX_BATCH = 50;
    /// @notice Offers one `openOffers` or `bestOffer` call looks at (each costs an exchange read and a schedule copy).
    uint256 public constant MAX_SCAN = 100;
    uint256 private constant BPS = 10_000;

    IVoucherToken public immutable VOUCHER;
    IVoucherExchange public immutable EXCHANGE;

    /// @dev Read and written by every sale; fits one slot: 160 + 3 * 32 = 256 bits.
    struct Head {
        address recycler;
        uint32 brandId;
        uint32 expiresAt;
        uint32 cardsLeft;
    }

    /// @dev Read by every sale, two slots: 64 + 4 * 16 + 2 * 8 + 96 = 240 bits, then the tiers packed 64 bits each,
    /// tier i at bits [64i, 64i + 64): its max face value in the low 48 bits, its rate in the next 16. A tier with max
    /// face value 0 does not exist (valid tiers ascend from a non-zero value). `minPrice` is the payment token's
    /// minimum price when the offer was posted: no card sells below it (kept here so a sale needs no read of the
    /// exchange's setting; like a listing's price, an open offer keeps it when the owner changes the minimum).
    struct Pricing {
        uint64 unitPrice;
        uint16 batchMinCount;
        uint16 batchBonusBps;
        uint16 nearExpiryDays;
        int16 nearExpiryBps;
        bool attestedOnly;
        bool open;
        uint96 minPrice;
        uint256 tiers;
    }

    /// @dev Slot 0 head, slots 1-2 pricing: a sale of issuer-backed cards reads three cold slots; the delivery key
    /// (slot 3) only when a coded card is sold. The payment token lives with the budget in the exchange.
    struct Offer {
        Head head;
        Pricing pricing;
        bytes32 deliveryKey;
    }

    uint256 private _offerCount;
    mapping(uint256 offerId => Offer) private _offers;
    /// @dev The offers of a brand that are not cancelled (expired ones stay until anyone cancels them).
    mapping(uint256 brandId => uint256[] offerIds) private _brandOffers;
    mapping(uint256 offerId => uint256 indexPlusOne) private _brandIndex;

    constructor(IVoucherToken voucher_, IVoucherExchange exchange_) {
        VOUCHER = voucher_;
        EXCHANGE = exchange_;
    }

    // ─── Recyclers ───────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IVoucherOffers
    function post(
        OfferParams calldata params,
        Schedule calldata schedule,
        uint256 budget
    ) external payable nonReentrant returns (uint256 offerId) {
        if (
            params.unitPrice == 0 ||
            params.maxCards == 0 ||
            params.expiresAt <= block.timestamp ||
            params.deliveryKey == bytes32(0)
        ) revert InvalidOfferParams();
        uint32 brandId = params.brandId;
        if (brandId == 0 || brandId > VOUCHER.brandCount()) revert UnknownBrand(brandId);
        uint256 minPrice = EXCHANGE.minPrice(params.payToken);
        if (minPrice == 0) revert IVoucherExchange.PayTokenNotAllowed(params.payToken);
        if (budget < minPrice) revert BudgetTooLow(budget, minPrice);
        Pricing memory p = _checkSchedule(schedule);
        p.unitPrice = params.unitPrice;
        p.attestedOnly = params.attestedOnly;
        p.open = true;
        // Token minimums are set below 2^96 (setPayToken takes a uint96).
        p.minPrice = uint96(minPrice);

        offerId = ++_offerCount;
        Offer storage o = _offers[offerId];
        o.head = Head({
            recycler: msg.sender,
            brandId: brandId,
            expiresAt: params.expiresAt,
            cardsLeft: params.maxCards
        });
        o.pricing = p;
        o.deliveryKey = params.deliveryKey;
        uint256[] storage ids = _brandOffers[brandId];
        ids.push(offerId);
        _brandIndex[offerId] = ids.length;
        emit OfferPosted(offerId, msg.sender, brandId, params, schedule, budget);
        EXCHANGE.fundOffer{value: msg.value}(offerId, params.payToken, msg.sender, budget);
    }

    /// @inheritdoc IVoucherOffers
    function topUp(uint256 offerId, uint256 amount) external payable nonReentrant {
        Offer storage o = _offers[offerId];
        Head memory h = o.head;
        _requireLive(offerId, h, o.pricing.open);
        if (msg.sender != h.recycler) revert NotRecycler(msg.sender, offerId);
        if (amount == 0) revert BudgetTooLow(0, 1);
        (address token, ) = EXCHANGE.offerFunds(offerId);
        emit OfferToppedUp(offerId, amount);
        EXCHANGE.fundOffer{value: msg.value}(offerId, token, msg.sender, amount);
    }

    /// @inheritdoc IVoucherOffers
    function setSchedule(uint256 offerId, Schedule calldata schedule) external nonReentrant {
        Offer storage o = _offers[offerId];
        Head memory h = o.head;
        Pricing memory old = o.pricing;
        _requireLive(offerId, h, old.open);
        if (msg.sender != h.recycler) revert NotRecycler(msg.sender, offerId);
        Pricing memory p = _checkSchedule(schedule);
        p.unitPrice = old.unitPrice;
        p.attestedOnly = old.attestedOnly;
        p.open = true;
        p.minPrice = old.minPrice;
        o.pricing = p;
        emit ScheduleSet(offerId, schedule);
    }

    /// @inheritdoc IVoucherOffers
    function cancel(uint256 offerId) external nonReentrant {
        Offer storage o = _offers[offerId];
        Head memory h = o.head;
        if (h.recycler == address(0)) revert UnknownOffer(offerId);
        if (!o.pricing.open) revert OfferClosed(offerId);
        if (msg.sender != h.recycler && block.timestamp <= h.expiresAt) revert NotRecycler(msg.sender, offerId);
        o.pricing.open = false;
        _unlist(h.brandId, offerId);
        (, uint256 budget) = EXCHANGE.offerFunds(offerId);
        emit OfferCancelled(offerId, msg.sender, budget);
        if (budget != 0) EXCHANGE.refundOffer(offerId, h.recycler, budget);
    }

    // ─── Holders ─────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IVoucherOffers
    /// @dev `OfferSold` comes after the exchange's call because it carries the first trade id the exchange hands out;
    /// the exchange is trusted and this contract's guard is held throughout.
    function sell(
        uint256 offerId,
        uint256[] calldata tokenIds,
        uint256 minTotal,
        address referrer
    ) external nonReentrant returns (uint256 total) {
        Offer storage o = _offers[offerId];
        Head memory h = o.head;
        Pricing memory p = o.pricing;
        _requireLive(offerId, h, p.open);
        if (msg.sender == h.recycler) revert SellerIsRecycler(offerId);
        uint256 n = tokenIds.length;
        if (n > h.cardsLeft) revert CardsExhausted(offerId, h.cardsLeft, n);
        (IVoucherExchange.OfferCard[] memory cards, uint256 total_, bool coded) = _priceCards(
            h,
            p,
            tokenIds,
            msg.sender,
            new uint16[](0)
        );
        total = total_;
        if (total < minTotal) revert TotalBelowMinimum(total, minTotal);
        // The whole head from the values already read, so the write needs no second read; n ≤ cardsLeft (checked
        // above).
        o.head = Head({
            recycler: h.recycler,
            brandId: h.brandId,
            expiresAt: h.expiresAt,
            cardsLeft: h.cardsLeft - uint32(n)
        });
        uint256 firstTradeId = EXCHANGE.sellToOffer(
            IVoucherExchange.OfferSale({
                offerId: offerId,
                seller: msg.sender,
                recycler: h.recycler,
                referrer: referrer,
                deliveryKey: coded ? o.deliveryKey : bytes32(0)
            }),
            cards
        );
        emit OfferSold(offerId, msg.sender, n, total, firstTradeId);
    }

    // ─── Views ───────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IVoucherOffers
    function quote(uint256 offerId, uint256[] calldata tokenIds) external view returns (SaleQuote memory q) {
        Offer storage o = _offers[offerId];
        Head memory h = o.head;
        Pricing memory p = o.pricing;
        _requireLive(offerId, h, p.open);
        if (tokenIds.length > h.cardsLeft) revert CardsExhausted(offerId, h.cardsLeft, tokenIds.length);
        IVoucherExchange.OfferCard[] memory cards;
        q.rateBps = new uint16[](tokenIds.length);
        (cards, q.total, ) = _priceCards(h, p, tokenIds, address(0), q.rateBps);
        // What the exchange then checks, in its order.
        if (EXCHANGE.paused()) revert IVoucherExchange.EnforcedPause();
        (, uint256 budget) = EXCHANGE.offerFunds(offerId);
        (uint32 deliveryWindow, uint32 confirmWindow, ) = EXCHANGE.windows();
        uint256 settleBy = block.timestamp + deliveryWindow + confirmWindow;
        uint256 nextTradeId = EXCHANGE.tradeCount() + 1;
        uint256 feeBps = EXCHANGE.protocolFeeBps();
        q.prices = new uint256[](cards.length);
        for (uint256 i; i < cards.length; ++i) {
            uint256 price = cards[i].price;
            if (!cards[i].issuerBacked && cards[i].expiresAt < settleBy) {
                revert IVoucherExchange.ExpiresBeforeSettlement(nextTradeId + i, cards[i].expiresAt, settleBy);
            }
            q.prices[i] = price;
            q.fee += (price * feeBps) / BPS;
        }
        if (q.total > budget) revert IVoucherExchange.OfferFundsShort(offerId, budget, q.total);
        q.sellerProceeds = q.total - q.fee;
    }

    /// @inheritdoc IVoucherOffers
    function openOffers(
        uint32 brandId,
        uint128 faceValue,
        uint256 offset,
        uint256 count
    ) external view returns (OfferView[] memory page) {
        uint256[] storage ids = _brandOffers[brandId];
        uint256 end = ids.length;
        if (offset >= end) return page;
        if (count > MAX_SCAN) count = MAX_SCAN;
        if (end - offset > count) end = offset + count;
        OfferView[] memory found = new OfferView[](end - offset);
        uint256[] memory rates = new uint256[](end - offset);
        uint256 k;
        for (uint256 i = offset; i < end; ++i) {
            uint256 offerId = ids[i];
            Offer storage o = _offers[offerId];
            uint256 rate =
                faceValue == 0 ? _tierRate(o.pricing.tiers, 0, true) : _tierRate(o.pricing.tiers, faceValue, false);
            if (rate == 0 || !_buying(o)) continue;
            OfferView memory v = _view(offerId);
            if (v.budget == 0) continue;
            // Insertion by rate, then unit price, then age (ids ascend with age).
            uint256 j = k++;
            while (j != 0 && _before(rate, v, rates[j - 1], found[j - 1])) {
                found[j] = found[j - 1];
                rates[j] = rates[j - 1];
                --j;
            }
            found[j] = v;
            rates[j] = rate;
        }
        page = new OfferView[](k);
        for (uint256 i; i < k; ++i) page[i] = found[i];
    }

    /// @inheritdoc IVoucherOffers
    function bestOffer(uint256 tokenId) external view returns (uint256 offerId, uint256 price) {
        IVoucherToken.SaleFacts memory v = VOUCHER.saleFacts(tokenId);
        if (block.timestamp >= v.expiresAt || (!v.issuerBacked && v.disclosed)) return (0, 0);
        if (EXCHANGE.paused()) return (0, 0);
        (uint32 deliveryWindow, uint32 confirmWindow, ) = EXCHANGE.windows();
        if (!v.issuerBacked && v.expiresAt < block.timestamp + deliveryWindow + confirmWindow) return (0, 0);
        uint256[] storage ids = _brandOffers[v.brandId];
        uint256 end = ids.length < MAX_SCAN ? ids.length : MAX_SCAN;
        uint256 bestRate;
        for (uint256 i; i < end; ++i) {
            uint256 id = ids[i];
            Offer storage o = _offers[id];
            Pricing memory p = o.pricing;
            if (!_buying(o) || v.owner == o.head.recycler || (p.attestedOnly && !v.issuerBacked && !v.attested)) {
                continue;
            }
            uint256 rate = _rate(p, v.faceValue, v.expiresAt, 1);
            if (rate == 0) continue;
            uint256 cardPrice = (uint256(v.faceValue) * p.unitPrice * rate) / BPS;
            (, uint256 budget) = EXCHANGE.offerFunds(id);
            if (cardPrice > budget || cardPrice < p.minPrice || cardPrice > type(uint96).max) continue;
            if (rate > bestRate || (rate == bestRate && cardPrice > price)) {
                (offerId, price, bestRate) = (id, cardPrice, rate);
            }
        }
    }

    /// @inheritdoc IVoucherOffers
    function offer(uint256 offerId) external view returns (OfferView memory) {
        if (_offers[offerId].head.recycler == address(0)) revert UnknownOffer(offerId);
        return _view(offerId);
    }

    /// @inheritdoc IVoucherOffers
    function offerCount() external view returns (uint256) {
        return _offerCount;
    }

    /// @inheritdoc IVoucherOffers
    function brandOfferCount(uint32 brandId) external view returns (uint256) {
        return _brandOffers[brandId].length;
    }

    // ─── Internals ───────────────────────────────────────────────────────────────────────────────────────────────

    /// @dev Prices and checks every card of a sale (or, with `seller` zero, a quote that ignores who sells). Each
    /// card's rate goes into `rates` when it is not empty (a quote's; a sale needs none).
    function _priceCards(
        Head memory h,
        Pricing memory p,
        uint256[] calldata tokenIds,
        address seller,
        uint16[] memory rates
    ) private view returns (IVoucherExchange.OfferCard[] memory cards, uint256 total, bool coded) {
        uint256 n = tokenIds.length;
        if (n == 0 || n > MAX_BATCH) revert InvalidBatchSize(n);
        cards = new IVoucherExchange.OfferCard[](n);
        uint256 previous;
        for (uint256 i; i < n; ++i) {
            uint256 tokenId = tokenIds[i];
            if (i != 0 && tokenId <= previous) revert CardsNotAscending(i);
            previous = tokenId;
            IVoucherToken.SaleFacts memory v = VOUCHER.saleFacts(tokenId);
            if (seller != address(0) && v.owner != seller) revert NotVoucherOwner(seller, tokenId);
            if (v.brandId != h.brandId) revert WrongBrand(tokenId, v.brandId, h.brandId);
            if (block.timestamp >= v.expiresAt) revert VoucherExpired(tokenId, v.expiresAt);
            if (!v.issuerBacked) {
                if (v.disclosed) revert VoucherDisclosed(tokenId);
                if (p.attestedOnly && !v.attested) revert NotAttested(tokenId);
                coded = true;
            }
            uint256 rate = _rate(p, v.faceValue, v.expiresAt, n);
            if (rate == 0) revert FaceValueOutOfSchedule(tokenId, v.faceValue);
            uint256 price;
            // A non-zero rate means faceValue ≤ a tier's 48-bit maximum; unitPrice < 2^64 and rate ≤ 10^4: the
            // product stays below 2^126.
            unchecked {
                price = (uint256(v.faceValue) * p.unitPrice * rate) / BPS;
            }
            if (price < p.minPrice || price > type(uint96).max) {
                revert IVoucherExchange.PriceOutOfRange(price, p.minPrice);
            }
            if (rates.length != 0) rates[i] = uint16(rate);
            cards[i] = IVoucherExchange.OfferCard({
                tokenId: tokenId,
                price: price,
                expiresAt: v.expiresAt,
                issuerBacked: v.issuerBacked
            });
            // At most MAX_BATCH prices below 2^96 each.
            unchecked {
                total += price;
            }
        }
    }

    /// @dev The rate of one card in a sale of `n` cards, capped to [1, 10_000]; 0 when its face value is outside the
    /// schedule.
    function _rate(Pricing memory p, uint256 faceValue, uint256 expiresAt, uint256 n) private view returns (uint256) {
        int256 rate = int256(_tierRate(p.tiers, faceValue, false));
        if (rate == 0) return 0;
        // A tier rate is a uint16, the bonus a uint16 and the adjustment an int16, so the rate stays far inside int256;
        // expiresAt > block.timestamp here (callers check it first), so the time left does not wrap.
        unchecked {
            if (p.batchMinCount != 0 && n >= p.batchMinCount) rate += int256(uint256(p.batchBonusBps));
            if (p.nearExpiryDays != 0 && expiresAt - block.timestamp <= uint256(p.nearExpiryDays) * 1 days) {
                rate += p.nearExpiryBps;
            }
        }
        if (rate < 1) return 1;
        return rate > int256(BPS) ? BPS : uint256(rate);
    }

    /// @dev The rate of the first tier whose maximum is ≥ `faceValue` (of the first tier when `first`); 0 if none.
    function _tierRate(uint256 tiers, uint256 faceValue, bool first) private pure returns (uint256) {
        for (uint256 i; i < MAX_TIERS; ++i) {
            uint256 tier = tiers >> (64 * i);
            uint256 maxFaceValue = uint48(tier);
            if (maxFaceValue == 0) return 0;
            if (first || faceValue <= maxFaceValue) return uint16(tier >> 48);
        }
        return 0;
    }

    /// @dev Validates a schedule and packs it (unit price, attestation and open flag left to the caller).
    function _checkSchedule(Schedule calldata s) private pure returns (Pricing memory p) {
        uint256 n = s.tiers.length;
        if (n == 0 || n > MAX_TIERS) revert InvalidTiers(n);
        uint256 previous;
        for (uint256 i; i < n; ++i) {
            Tier calldata t = s.tiers[i];
            if (t.maxFaceValue <= previous || t.rateBps < MIN_RATE_BPS || t.rateBps > BPS) revert InvalidTiers(i);
            previous = t.maxFaceValue;
            p.tiers |= (uint256(t.maxFaceValue) | (uint256(t.rateBps) << 48)) << (64 * i);
        }
        if (
            s.batchBonusBps > MAX_BONUS_BPS ||
            (s.batchMinCount == 0 && s.batchBonusBps != 0) ||
            s.batchMinCount > MAX_BATCH
        ) revert InvalidBatchBonus(s.batchMinCount, s.batchBonusBps);
        int256 near = s.nearExpiryBps;
        if (
            near > int256(uint256(MAX_BONUS_BPS)) ||
            near < -int256(uint256(MAX_BONUS_BPS)) ||
            (s.nearExpiryDays == 0 && near != 0)
        ) {
            revert InvalidNearExpiry(s.nearExpiryDays, near);
        }
        p.batchMinCount = s.batchMinCount;
        p.batchBonusBps = s.batchBonusBps;
        p.nearExpiryDays = s.nearExpiryDays;
        p.nearExpiryBps = s.nearExpiryBps;
    }

    /// @dev Reverts unless the offer exists, is open and has not expired.
    function _requireLive(uint256 offerId, Head memory h, bool open) private view {
        if (h.recycler == address(0)) revert UnknownOffer(offerId);
        if (!open) revert OfferClosed(offerId);
        if (block.timestamp > h.expiresAt) revert OfferExpired(offerId, h.expiresAt);
    }

    /// @dev Open, unexpired and with cards left (the budget is the exchange's to tell).
    function _buying(Offer storage o) private view returns (bool) {
        Head memory h = o.head;
        return o.pricing.open && block.timestamp <= h.expiresAt && h.cardsLeft != 0;
    }

    /// @dev Whether (rate, v) ranks before (otherRate, other): higher rate, then higher unit price, then older.
    function _before(
        uint256 rate,
        OfferView memory v,
        uint256 otherRate,
        OfferView memory other
    ) private pure returns (bool) {
        if (rate != otherRate) return rate > otherRate;
        if (v.unitPrice != other.unitPrice) return v.unitPrice > other.unitPrice;
        return v.offerId < other.offerId;
    }

    function _view(uint256 offerId) private view returns (OfferView memory v) {
        Offer storage o = _offers[offerId];
        Head memory h = o.head;
        Pricing memory p = o.pricing;
        (address token, uint256 budget) = EXCHANGE.offerFunds(offerId);
        uint256 n;
        while (n < MAX_TIERS && uint48(p.tiers >> (64 * n)) != 0) ++n;
        Tier[] memory tiers = new Tier[](n);
        for (uint256 i; i < n; ++i) {
            uint256 tier = p.tiers >> (64 * i);
            tiers[i] = Tier({maxFaceValue: uint48(tier), rateBps: uint16(tier >> 48)});
        }
        v = OfferView({
            offerId: offerId,
            recycler: h.recycler,
            brandId: h.brandId,
            payToken: token,
            unitPrice: p.unitPrice,
            cardsLeft: h.cardsLeft,
            expiresAt: h.expiresAt,
            attestedOnly: p.attestedOnly,
            open: p.open,
            deliveryKey: o.deliveryKey,
            budget: budget,
            schedule: Schedule({
                tiers: tiers,
                batchMinCount: p.batchMinCount,
                batchBonusBps: p.batchBonusBps,
                nearExpiryDays: p.nearExpiryDays,
                nearExpiryBps: p.nearExpiryBps
            })
        });
    }

    /// @dev Takes a cancelled offer out of its brand's list (swap with the last, pop).
    function _unlist(uint256 brandId, uint256 offerId) private {
        uint256[] storage ids = _brandOffers[brandId];
        uint256 index = _brandIndex[offerId] - 1;
        uint256 last = ids[ids.length - 1];
        if (last != offerId) {
            ids[index] = last;
            _brandIndex[last] = index + 1;
        }
        ids.pop();
        delete _brandIndex[offerId];
    }
}
