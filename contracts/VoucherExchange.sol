// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {IVoucherExchange} from "./interfaces/IVoucherExchange.sol";
import {IVoucherToken} from "./interfaces/IVoucherToken.sol";

/// @title VoucherExchange
/// @notice Escrowed peer-to-peer trading of Kaquan vouchers with a protocol fee bounded to [1%, 3%], a 3-level
/// distributor split and pull-payment credits. Immutable: no proxy, no sweep, no path for anyone to take escrow.
contract VoucherExchange is IVoucherExchange, Ownable2Step, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using EnumerableSet for EnumerableSet.AddressSet;

    uint16 public constant MIN_FEE_BPS = 100;
    uint16 public constant MAX_FEE_BPS = 300;
    /// @notice Most of a fee the three referral levels may take together: the protocol keeps at least half of every
    /// fee, so a buyer referring itself through fresh addresses gets at most half the fee back.
    uint16 public constant MAX_LEVEL_SHARES_BPS = 5000;
    uint16 public constant DEFAULT_LEVEL1_BPS = 3000;
    uint16 public constant DEFAULT_LEVEL2_BPS = 1500;
    uint16 public constant DEFAULT_LEVEL3_BPS = 500;
    /// @notice Lowest minimum price a payment token can have, in its base units: at 1% a fee never rounds to zero.
    uint256 public constant MIN_PRICE_FLOOR = 10_000;
    /// @notice The ETH minimum price a deployment starts with (about a third of a US dollar at the time of writing):
    /// wash sales that farm reputation or price history pay a real fee.
    uint96 public constant DEFAULT_ETH_MIN_PRICE = 0.0001 ether;
    uint256 public constant MAX_BATCH = 50;
    uint256 public constant MAX_LEVELS = 3;
    /// @notice Ids one `activeListings` call scans: ~15k gas each keeps a full page near 4M gas, under RPC call caps.
    uint256 public constant MAX_PAGE = 250;
    uint32 public constant MIN_WINDOW = 1 hours;
    uint32 public constant MAX_WINDOW = 30 days;
    uint32 public constant DEFAULT_DELIVERY_WINDOW = 1 days;
    uint32 public constant DEFAULT_CONFIRM_WINDOW = 3 days;
    uint32 public constant DEFAULT_ARBITRATION_WINDOW = 7 days;
    /// @notice Dispute bond bounds and default, in bps of the price: enough that a false dispute costs real money,
    /// never so much that an honest buyer cannot afford to dispute.
    uint16 public constant MIN_DISPUTE_BOND_BPS = 100;
    uint16 public constant MAX_DISPUTE_BOND_BPS = 5000;
    uint16 public constant DEFAULT_DISPUTE_BOND_BPS = 1000;
    /// @notice Gas forwarded with an ETH push: enough for a smart-wallet `receive`, too little to grief settlement.
    uint256 public constant PUSH_GAS = 30_000;
    uint256 private constant BPS = 10_000;

    IVoucherToken public immutable VOUCHER;

    /// @dev What a purchase made now gets, read by every purchase, so it fits one slot: 160 + 16 + 3 * 16 + 8 + 16 =
    /// 248 bits. The treasury and level shares are also recorded in `_terms[termsId]` for orders that settle later;
    /// keeping the current ones here lets an instant sale settle from this one slot. The pause flag lives here rather
    /// than in OpenZeppelin's Pausable (its own slot) to save a cold read on every buy.
    struct PurchaseConfig {
        address treasury;
        uint16 feeBps;
        uint16 level1Bps;
        uint16 level2Bps;
        uint16 level3Bps;
        bool paused;
        uint16 termsId;
    }

    /// @dev The arbiter and the current windows; fits one slot: 160 + 3 * 32 = 256 bits.
    struct ArbiterAndWindows {
        address arbiter;
        uint32 deliveryWindow;
        uint32 confirmWindow;
        uint32 arbitrationWindow;
    }

    /// @dev Fits one slot. `joinedAt` (non-zero once joined) lets a settlement pay a referrer only if it had joined by
    /// the purchase, without a read at purchase time.
    struct DistributorRecord {
        address upline;
        uint40 joinedAt;
    }

    /// @dev The offers contract and the trade counter share a slot (160 + 96 bits): a sale into an offer reads both.
    struct OffersAndCount {
        address offers;
        uint96 tradeCount;
    }

    PurchaseConfig private _config;
    ArbiterAndWindows private _arbitration;
    OffersAndCount private _offersAndCount;
    mapping(uint256 tradeId => Trade) private _trades;
    mapping(uint256 termsId => Terms) private _terms;
    mapping(address token => uint256 minPrice) private _minPrices;
    bytes32 private _arbiterKey;
    uint16 private _disputeBondBps;
    mapping(address account => DistributorRecord) private _distributors;
    mapping(address account => mapping(address token => uint256 amount)) private _credits;
    mapping(address account => Stats) private _stats;
    EnumerableSet.AddressSet private _payTokens;
    mapping(uint256 offerId => OfferFunds) private _offerFunds;

    modifier whenNotPaused() {
        if (_config.paused) revert EnforcedPause();
        _;
    }

    modifier onlyOffers() {
        if (msg.sender != _offersAndCount.offers) revert NotOffers(msg.sender);
        _;
    }

    modifier onlySeller(uint256 tradeId) {
        if (msg.sender != _trades[tradeId].seller) revert NotSeller(msg.sender, tradeId);
        _;
    }

    modifier onlyBuyer(uint256 tradeId) {
        if (msg.sender != _trades[tradeId].buyer) revert NotBuyer(msg.sender, tradeId);
        _;
    }

    constructor(
        IVoucherToken voucher_,
        address initialOwner,
        address treasury_,
        address arbiter_,
        uint16 feeBps
    ) Ownable(initialOwner) {
        if (address(voucher_) == address(0) || treasury_ == address(0) || arbiter_ == address(0)) {
            revert ZeroAddress();
        }
        _checkFee(feeBps);
        VOUCHER = voucher_;
        _config = PurchaseConfig({
            treasury: treasury_,
            feeBps: feeBps,
            level1Bps: DEFAULT_LEVEL1_BPS,
            level2Bps: DEFAULT_LEVEL2_BPS,
            level3Bps: DEFAULT_LEVEL3_BPS,
            paused: false,
            termsId: 0
        });
        _arbitration = ArbiterAndWindows({
            arbiter: arbiter_,
            deliveryWindow: DEFAULT_DELIVERY_WINDOW,
            confirmWindow: DEFAULT_CONFIRM_WINDOW,
            arbitrationWindow: DEFAULT_ARBITRATION_WINDOW
        });
        _minPrices[address(0)] = DEFAULT_ETH_MIN_PRICE;
        _disputeBondBps = DEFAULT_DISPUTE_BOND_BPS;
        emit ProtocolFeeSet(feeBps);
        emit LevelSharesSet([DEFAULT_LEVEL1_BPS, DEFAULT_LEVEL2_BPS, DEFAULT_LEVEL3_BPS]);
        emit TreasurySet(treasury_);
        emit ArbiterSet(arbiter_);
        emit WindowsSet(DEFAULT_DELIVERY_WINDOW, DEFAULT_CONFIRM_WINDOW, DEFAULT_ARBITRATION_WINDOW);
        emit PayTokenSet(address(0), DEFAULT_ETH_MIN_PRICE);
        emit DisputeBondSet(DEFAULT_DISPUTE_BOND_BPS);
        _recordTerms();
    }

    // ─── Listings ────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IVoucherExchange
    function list(
        uint256 tokenId,
        address payToken,
        uint256 price
    ) external nonReentrant whenNotPaused returns (uint256 tradeId) {
        tradeId = _list(tokenId, payToken, price, _acceptedMinPrice(payToken));
    }

    /// @inheritdoc IVoucherExchange
    function listBatch(
        uint256[] calldata tokenIds,
        address payToken,
        uint256[] calldata prices
    ) external nonReentrant whenNotPaused returns (uint256 firstTradeId) {
        uint256 n = tokenIds.length;
        if (n == 0 || n > MAX_BATCH || prices.length != n) revert InvalidBatchSize(n);
        uint256 minPrice_ = _acceptedMinPrice(payToken);
        firstTradeId = uint256(_offersAndCount.tradeCount) + 1;
        for (uint256 i; i < n; ++i) {
            _list(tokenIds[i], payToken, prices[i], minPrice_);
        }
    }

    /// @inheritdoc IVoucherExchange
    function cancelListing(uint256 tradeId) external nonReentrant onlySeller(tradeId) {
        Trade storage t = _trades[tradeId];
        _requireStatus(tradeId, t.status, Status.Listed);
        t.status = Status.Cancelled;
        emit ListingCancelled(tradeId);
        VOUCHER.transferFrom(address(this), msg.sender, t.tokenId);
    }

    /// @inheritdoc IVoucherExchange
    function updatePrice(uint256 tradeId, uint256 newPrice) external nonReentrant whenNotPaused onlySeller(tradeId) {
        Trade storage t = _trades[tradeId];
        _requireStatus(tradeId, t.status, Status.Listed);
        // A token disallowed since listing keeps the floor: its open listings stay buyable and repriceable.
        uint256 minPrice_ = _minPrices[t.payToken];
        _checkPrice(newPrice, minPrice_ < MIN_PRICE_FLOOR ? MIN_PRICE_FLOOR : minPrice_);
        uint256 oldPrice = t.price;
        t.price = uint96(newPrice);
        emit PriceUpdated(tradeId, oldPrice, newPrice);
    }

    // ─── Orders ──────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IVoucherExchange
    function buy(
        uint256 tradeId,
        uint256 maxPrice,
        address referrer,
        bytes32 buyerKey
    ) external payable nonReentrant whenNotPaused {
        Trade storage t = _trades[tradeId];
        _requireStatus(tradeId, t.status, Status.Listed);
        if (msg.sender == t.seller) revert SellerCannotBuy(tradeId);
        uint256 price = t.price;
        if (price > maxPrice) revert PriceAboveMax(price, maxPrice);
        uint32 expiresAt = t.voucherExpiresAt;
        if (block.timestamp >= expiresAt) revert VoucherExpired(t.tokenId, expiresAt);
        bool instant = t.issuerBacked;
        if (!instant && buyerKey == bytes32(0)) revert MissingBuyerKey();
        address payToken = t.payToken;
        uint256 expectedValue = payToken == address(0) ? price : 0;
        if (msg.value != expectedValue) revert WrongPayment(msg.value, expectedValue);

        PurchaseConfig memory c = _config;
        t.feeBps = c.feeBps;
        if (instant) {
            // An instant sale is final in this transaction, so its buyer lives in the Purchased event only: not
            // writing slot 1 keeps the cheapest purchase under its gas budget.
            t.status = Status.Completed;
        } else {
            ArbiterAndWindows memory w = _arbitration;
            uint256 settleBy = block.timestamp + w.deliveryWindow + w.confirmWindow;
            if (expiresAt < settleBy) revert ExpiresBeforeSettlement(tradeId, expiresAt, settleBy);
            t.status = Status.AwaitingDelivery;
            t.buyer = msg.sender;
            t.deadline = _deadline(w.deliveryWindow);
            t.purchasedAt = uint32(block.timestamp);
            t.termsId = c.termsId;
            if (referrer != address(0)) t.referrer = referrer;
        }
        emit Purchased(tradeId, msg.sender, referrer, price, c.feeBps, buyerKey);

        if (payToken != address(0)) _pullExact(IERC20(payToken), msg.sender, price);
        if (instant) _settleInstant(tradeId, t, price, payToken, referrer, c);
    }

    /// @inheritdoc IVoucherExchange
    function deliverCode(uint256 tradeId, bytes calldata ciphertext) external nonReentrant onlySeller(tradeId) {
        Trade storage t = _trades[tradeId];
        _requireStatus(tradeId, t.status, Status.AwaitingDelivery);
        if (block.timestamp > t.deadline) revert DeadlinePassed(tradeId, t.deadline);
        if (ciphertext.length == 0) revert EmptyDelivery();
        t.status = Status.Delivered;
        t.deadline = _deadline(_terms[t.termsId].confirmWindow);
        emit CodeDelivered(tradeId, ciphertext);
    }

    /// @inheritdoc IVoucherExchange
    function confirm(uint256 tradeId) external nonReentrant onlyBuyer(tradeId) {
        Trade storage t = _trades[tradeId];
        _requireStatus(tradeId, t.status, Status.Delivered);
        t.status = Status.Completed;
        _settleOnTerms(tradeId, t);
    }

    /// @inheritdoc IVoucherExchange
    function finalize(uint256 tradeId) external nonReentrant {
        Trade storage t = _trades[tradeId];
        _requireStatus(tradeId, t.status, Status.Delivered);
        _requireDeadlinePassed(tradeId, t.deadline);
        t.status = Status.Completed;
        _settleOnTerms(tradeId, t);
    }

    /// @inheritdoc IVoucherExchange
    function cancelUndelivered(uint256 tradeId) external nonReentrant {
        Trade storage t = _trades[tradeId];
        _requireStatus(tradeId, t.status, Status.AwaitingDelivery);
        _requireDeadlinePassed(tradeId, t.deadline);
        _refund(tradeId, t, false);
    }

    /// @inheritdoc IVoucherExchange
    function dispute(uint256 tradeId, bytes calldata sealedEvidence) external payable nonReentrant onlyBuyer(tradeId) {
        Trade storage t = _trades[tradeId];
        _requireStatus(tradeId, t.status, Status.Delivered);
        if (block.timestamp > t.deadline) revert DeadlinePassed(tradeId, t.deadline);
        if (sealedEvidence.length == 0) revert MissingEvidence();
        if (_arbiterKey == bytes32(0)) revert NoArbiterKey();
        address payToken = t.payToken;
        uint256 bond = _bond(t);
        uint256 expectedValue = payToken == address(0) ? bond : 0;
        if (msg.value != expectedValue) revert WrongPayment(msg.value, expectedValue);
        t.status = Status.Disputed;
        t.deadline = _deadline(_terms[t.termsId].arbitrationWindow);
        // Counters are uint64 and each dispute adds one: they cannot overflow in any realistic lifetime.
        unchecked {
            ++_stats[msg.sender].disputesOpened;
        }
        emit Disputed(tradeId, bond, sealedEvidence);
        if (payToken != address(0)) _pullExact(IERC20(payToken), msg.sender, bond);
    }

    /// @inheritdoc IVoucherExchange
    function resolve(uint256 tradeId, bool refundBuyer) external nonReentrant {
        if (msg.sender != _arbitration.arbiter) revert NotArbiter(msg.sender);
        Trade storage t = _trades[tradeId];
        _requireStatus(tradeId, t.status, Status.Disputed);
        if (block.timestamp > t.deadline) revert DeadlinePassed(tradeId, t.deadline);
        emit DisputeResolved(tradeId, refundBuyer);
        if (refundBuyer) {
            ++_stats[t.seller].disputesLost;
            _refund(tradeId, t, true);
        } else {
            _releaseDisputed(tradeId, t);
        }
    }

    /// @inheritdoc IVoucherExchange
    function expireDispute(uint256 tradeId) external nonReentrant {
        Trade storage t = _trades[tradeId];
        _requireStatus(tradeId, t.status, Status.Disputed);
        _requireDeadlinePassed(tradeId, t.deadline);
        _releaseDisputed(tradeId, t);
    }

    // ─── Standing offers (the book lives in the offers contract; budgets live here) ─────────────────────────────

    /// @inheritdoc IVoucherExchange
    function fundOffer(
        uint256 offerId,
        address token,
        address from,
        uint256 amount
    ) external payable nonReentrant whenNotPaused onlyOffers {
        if (_minPrices[token] == 0) revert PayTokenNotAllowed(token);
        OfferFunds storage f = _offerFunds[offerId];
        uint256 held = f.amount;
        if (held != 0 && f.token != token) revert OfferTokenMismatch(offerId, token, f.token);
        uint256 expectedValue = token == address(0) ? amount : 0;
        if (msg.value != expectedValue) revert WrongPayment(msg.value, expectedValue);
        f.token = token;
        f.amount = SafeCast.toUint96(held + amount);
        emit OfferFunded(offerId, from, token, amount);
        if (token != address(0)) _pullExact(IERC20(token), from, amount);
    }

    /// @inheritdoc IVoucherExchange
    function refundOffer(uint256 offerId, address to, uint256 amount) external nonReentrant onlyOffers {
        OfferFunds storage f = _offerFunds[offerId];
        uint256 held = f.amount;
        if (amount > held) revert OfferFundsShort(offerId, held, amount);
        // amount ≤ held < 2^96
        f.amount = uint96(held - amount);
        emit OfferRefunded(offerId, to, amount);
        _push(to, f.token, amount);
    }

    /// @inheritdoc IVoucherExchange
    function sellToOffer(
        OfferSale calldata sale,
        OfferCard[] calldata cards
    ) external nonReentrant returns (uint256 firstTradeId) {
        // One read of the config slot serves the pause check and the sale (`whenNotPaused` would read it twice).
        PurchaseConfig memory c = _config;
        if (c.paused) revert EnforcedPause();
        OffersAndCount memory k = _offersAndCount;
        if (msg.sender != k.offers) revert NotOffers(msg.sender);
        uint256 n = cards.length;
        if (n == 0 || n > MAX_BATCH) revert InvalidBatchSize(n);
        OfferFunds memory f = _offerFunds[sale.offerId];
        uint256 tradeId = k.tradeCount;
        firstTradeId = tradeId + 1;
        uint16[3] memory shares = [c.level1Bps, c.level2Bps, c.level3Bps];
        uint256 total;
        uint256 proceeds;
        uint64 settled;
        uint256 settleBy;
        for (uint256 i; i < n; ++i) {
            OfferCard calldata card = cards[i];
            uint256 price = card.price;
            // The offers contract holds prices to the token's minimum of the offer's posting; the floor (no fee
            // rounds to zero) and the 96-bit bound are checked here.
            _checkPrice(price, MIN_PRICE_FLOOR);
            // ≤ MAX_BATCH prices < 2^96, ids < 2^96 + MAX_BATCH, proceeds ≤ prices: no sum can overflow 256 bits.
            unchecked {
                total += price;
                ++tradeId;
            }
            if (card.issuerBacked) {
                unchecked {
                    proceeds += _sellInstant(tradeId, sale, card, f.token, c, shares);
                    ++settled;
                }
            } else {
                if (settleBy == 0) {
                    ArbiterAndWindows memory w = _arbitration;
                    settleBy = block.timestamp + w.deliveryWindow + w.confirmWindow;
                }
                _openOfferOrder(tradeId, sale, card, f.token, c, settleBy);
            }
        }
        if (total > f.amount) revert OfferFundsShort(sale.offerId, f.amount, total);
        // Whole-slot writes of values already read (no second read); total ≤ f.amount < 2^96; SafeCast the counter.
        _offerFunds[sale.offerId] = OfferFunds({token: f.token, amount: uint96(f.amount - total)});
        _offersAndCount = OffersAndCount({offers: k.offers, tradeCount: SafeCast.toUint96(tradeId)});
        if (settled != 0) {
            _countSales(sale.seller, sale.recycler, settled);
            _push(sale.seller, f.token, proceeds);
        }
    }

    /// @inheritdoc IVoucherExchange
    function setOffers(address offers_) external onlyOwner {
        address current = _offersAndCount.offers;
        if (current != address(0) || offers_ == address(0)) revert InvalidOffers(current);
        _offersAndCount.offers = offers_;
        emit OffersSet(offers_);
    }

    // ─── Distributors and credits ────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IVoucherExchange
    function joinDistributors(address upline) external nonReentrant {
        if (_distributors[msg.sender].joinedAt != 0) revert AlreadyDistributor(msg.sender);
        // Only existing distributors can be uplines and nobody can join twice, so every chain ends at a root and the
        // tree has no cycles by construction.
        if (upline != address(0) && _distributors[upline].joinedAt == 0) revert NotDistributor(upline);
        _distributors[msg.sender] = DistributorRecord({upline: upline, joinedAt: uint40(block.timestamp)});
        emit DistributorJoined(msg.sender, upline);
    }

    /// @inheritdoc IVoucherExchange
    function claim(address token) external nonReentrant {
        uint256 amount = _credits[msg.sender][token];
        if (amount == 0) revert NothingToClaim(msg.sender, token);
        _credits[msg.sender][token] = 0;
        emit Claimed(msg.sender, token, amount);
        if (token == address(0)) {
            Address.sendValue(payable(msg.sender), amount);
        } else {
            IERC20(token).safeTransfer(msg.sender, amount);
        }
    }

    // ─── Governance ──────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IVoucherExchange
    function setProtocolFee(uint16 feeBps) external onlyOwner {
        _checkFee(feeBps);
        _config.feeBps = feeBps;
        emit ProtocolFeeSet(feeBps);
    }

    /// @inheritdoc IVoucherExchange
    function setLevelShares(uint16[3] calldata shares) external onlyOwner {
        uint256 sum = uint256(shares[0]) + shares[1] + shares[2];
        if (sum > MAX_LEVEL_SHARES_BPS) revert InvalidLevelShares(sum);
        (_config.level1Bps, _config.level2Bps, _config.level3Bps) = (shares[0], shares[1], shares[2]);
        emit LevelSharesSet(shares);
        _recordTerms();
    }

    /// @inheritdoc IVoucherExchange
    function setTreasury(address treasury_) external onlyOwner {
        if (treasury_ == address(0)) revert ZeroAddress();
        _config.treasury = treasury_;
        emit TreasurySet(treasury_);
        _recordTerms();
    }

    /// @inheritdoc IVoucherExchange
    function setArbiter(address arbiter_) external onlyOwner {
        if (arbiter_ == address(0)) revert ZeroAddress();
        _arbitration.arbiter = arbiter_;
        // The new arbiter publishes its own key; evidence sealed to the old one stays the old arbiter's to read.
        delete _arbiterKey;
        emit ArbiterSet(arbiter_);
        emit ArbiterKeySet(arbiter_, bytes32(0));
    }

    /// @inheritdoc IVoucherExchange
    function setArbiterKey(bytes32 key) external {
        if (msg.sender != _arbitration.arbiter) revert NotArbiter(msg.sender);
        _arbiterKey = key;
        emit ArbiterKeySet(msg.sender, key);
    }

    /// @inheritdoc IVoucherExchange
    function setDisputeBond(uint16 bondBps) external onlyOwner {
        if (bondBps < MIN_DISPUTE_BOND_BPS || bondBps > MAX_DISPUTE_BOND_BPS) revert DisputeBondOutOfBounds(bondBps);
        _disputeBondBps = bondBps;
        emit DisputeBondSet(bondBps);
        _recordTerms();
    }

    /// @inheritdoc IVoucherExchange
    function setPayToken(address token, uint96 minPrice_) external onlyOwner {
        bool disallow = minPrice_ == 0 && token != address(0);
        if (!disallow && minPrice_ < MIN_PRICE_FLOOR) revert MinPriceTooLow(minPrice_);
        if (token != address(0)) {
            if (disallow) _payTokens.remove(token);
            else _payTokens.add(token);
        }
        _minPrices[token] = minPrice_;
        emit PayTokenSet(token, minPrice_);
    }

    /// @inheritdoc IVoucherExchange
    function setWindows(uint32 deliveryWindow, uint32 confirmWindow, uint32 arbitrationWindow) external onlyOwner {
        _checkWindow(deliveryWindow);
        _checkWindow(confirmWindow);
        _checkWindow(arbitrationWindow);
        (_arbitration.deliveryWindow, _arbitration.confirmWindow, _arbitration.arbitrationWindow) = (
            deliveryWindow,
            confirmWindow,
            arbitrationWindow
        );
        emit WindowsSet(deliveryWindow, confirmWindow, arbitrationWindow);
        _recordTerms();
    }

    /// @inheritdoc IVoucherExchange
    function pause() external onlyOwner {
        if (_config.paused) revert EnforcedPause();
        _config.paused = true;
        emit Paused(msg.sender);
    }

    /// @inheritdoc IVoucherExchange
    function unpause() external onlyOwner {
        if (!_config.paused) revert ExpectedPause();
        _config.paused = false;
        emit Unpaused(msg.sender);
    }

    // ─── Views ───────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IVoucherExchange
    function paused() external view returns (bool) {
        return _config.paused;
    }

    /// @inheritdoc IVoucherExchange
    function protocolFeeBps() external view returns (uint16) {
        return _config.feeBps;
    }

    /// @inheritdoc IVoucherExchange
    function levelShares() external view returns (uint16[3] memory) {
        PurchaseConfig memory f = _config;
        return [f.level1Bps, f.level2Bps, f.level3Bps];
    }

    /// @inheritdoc IVoucherExchange
    function treasury() external view returns (address) {
        return _config.treasury;
    }

    /// @inheritdoc IVoucherExchange
    function arbiter() external view returns (address) {
        return _arbitration.arbiter;
    }

    /// @inheritdoc IVoucherExchange
    function windows() external view returns (uint32, uint32, uint32) {
        ArbiterAndWindows memory w = _arbitration;
        return (w.deliveryWindow, w.confirmWindow, w.arbitrationWindow);
    }

    /// @inheritdoc IVoucherExchange
    function arbiterKey() external view returns (bytes32) {
        return _arbiterKey;
    }

    /// @inheritdoc IVoucherExchange
    function disputeBondBps() external view returns (uint16) {
        return _disputeBondBps;
    }

    /// @inheritdoc IVoucherExchange
    function disputeBond(uint256 tradeId) external view returns (uint256) {
        return _bond(_trades[tradeId]);
    }

    /// @inheritdoc IVoucherExchange
    function currentTermsId() external view returns (uint256) {
        return _config.termsId;
    }

    /// @inheritdoc IVoucherExchange
    function terms(uint256 termsId) external view returns (Terms memory) {
        return _terms[termsId];
    }

    /// @inheritdoc IVoucherExchange
    function minPrice(address token) external view returns (uint256) {
        return _minPrices[token];
    }

    /// @inheritdoc IVoucherExchange
    function trade(uint256 tradeId) external view returns (Trade memory) {
        return _trades[tradeId];
    }

    /// @inheritdoc IVoucherExchange
    function activeListings(uint256 fromId, uint256 count) external view returns (ListingView[] memory page) {
        if (fromId == 0) fromId = 1;
        uint256 end = fromId + (count > MAX_PAGE ? MAX_PAGE : count);
        uint256 next = uint256(_offersAndCount.tradeCount) + 1;
        if (end > next) end = next;
        ArbiterAndWindows memory w = _arbitration;
        uint256 settleBy = block.timestamp + w.deliveryWindow + w.confirmWindow;
        uint256 found;
        for (uint256 id = fromId; id < end; ++id) {
            if (_buyable(_trades[id], settleBy)) ++found;
        }
        page = new ListingView[](found);
        uint256 k;
        for (uint256 id = fromId; k < found; ++id) {
            Trade storage t = _trades[id];
            if (!_buyable(t, settleBy)) continue;
            IVoucherToken.Voucher memory v = VOUCHER.voucher(t.tokenId);
            page[k++] = ListingView({
                tradeId: id,
                tokenId: t.tokenId,
                seller: t.seller,
                payToken: t.payToken,
                price: t.price,
                brandId: v.brandId,
                faceValue: v.faceValue,
                expiresAt: v.expiresAt,
                issuerBacked: v.issuerBacked,
                attested: v.attested
            });
        }
    }

    /// @inheritdoc IVoucherExchange
    function quote(uint256 tradeId, address referrer) external view returns (Split memory) {
        Trade storage t = _trades[tradeId];
        _requireStatus(tradeId, t.status, Status.Listed);
        PurchaseConfig memory c = _config;
        uint16[3] memory shares = [c.level1Bps, c.level2Bps, c.level3Bps];
        return _split(t.price, c.feeBps, shares, referrer, block.timestamp, msg.sender, t.seller);
    }

    /// @inheritdoc IVoucherExchange
    function previewSplit(
        uint256 price,
        uint16 feeBps,
        address referrer,
        address buyer,
        address seller
    ) external view returns (Split memory) {
        PurchaseConfig memory c = _config;
        uint16[3] memory shares = [c.level1Bps, c.level2Bps, c.level3Bps];
        return _split(price, feeBps, shares, referrer, block.timestamp, buyer, seller);
    }

    /// @inheritdoc IVoucherExchange
    function credits(address account_, address token) external view returns (uint256) {
        return _credits[account_][token];
    }

    /// @inheritdoc IVoucherExchange
    function account(
        address account_,
        address[] calldata tokens
    ) external view returns (Stats memory stats, uint256[] memory creditBalances) {
        stats = _stats[account_];
        creditBalances = new uint256[](tokens.length);
        for (uint256 i; i < tokens.length; ++i) {
            creditBalances[i] = _credits[account_][tokens[i]];
        }
    }

    /// @inheritdoc IVoucherExchange
    function distributor(address account_) external view returns (bool joined, address upline, uint256 joinedAt) {
        DistributorRecord memory d = _distributors[account_];
        return (d.joinedAt != 0, d.upline, d.joinedAt);
    }

    /// @inheritdoc IVoucherExchange
    function payTokens() external view returns (address[] memory) {
        return _payTokens.values();
    }

    /// @inheritdoc IVoucherExchange
    function offers() external view returns (address) {
        return _offersAndCount.offers;
    }

    /// @inheritdoc IVoucherExchange
    function offerFunds(uint256 offerId) external view returns (address token, uint256 amount) {
        OfferFunds memory f = _offerFunds[offerId];
        return (f.token, f.amount);
    }

    /// @inheritdoc IVoucherExchange
    function tradeCount() external view returns (uint256) {
        return _offersAndCount.tradeCount;
    }

    // ─── Internals ───────────────────────────────────────────────────────────────────────────────────────────────

    function _list(
        uint256 tokenId,
        address payToken,
        uint256 price,
        uint256 minPrice_
    ) private returns (uint256 tradeId) {
        _checkPrice(price, minPrice_);
        if (VOUCHER.ownerOf(tokenId) != msg.sender) revert NotVoucherOwner(msg.sender, tokenId);
        IVoucherToken.Voucher memory v = VOUCHER.voucher(tokenId);
        if (block.timestamp >= v.expiresAt) revert VoucherExpired(tokenId, v.expiresAt);
        if (v.disclosed) revert VoucherDisclosed(tokenId);
        tradeId = ++_offersAndCount.tradeCount;
        // voucherExpiresAt keeps slot 1 non-zero, so an order's buy that writes the buyer pays 2,900 gas, not 20,000.
        // Token ids are sequential from 1, so 48 bits (2.8e14 vouchers) never run out; SafeCast guards it anyway.
        _trades[tradeId] = Trade({
            seller: msg.sender,
            tokenId: SafeCast.toUint48(tokenId),
            feeBps: 0,
            status: Status.Listed,
            issuerBacked: v.issuerBacked,
            buyer: address(0),
            deadline: 0,
            voucherExpiresAt: v.expiresAt > type(uint32).max ? type(uint32).max : uint32(v.expiresAt),
            purchasedAt: 0,
            termsId: 0,
            payToken: payToken,
            price: uint96(price),
            referrer: address(0)
        });
        emit Listed(tradeId, msg.sender, tokenId, payToken, price);
        VOUCHER.transferFrom(msg.sender, address(this), tokenId);
    }

    /// @dev An issuer-backed card sold into an offer settles as an instant purchase, the voucher going from the seller
    /// straight to the recycler; returns the seller's proceeds (the batch pays them once).
    function _sellInstant(
        uint256 tradeId,
        OfferSale calldata sale,
        OfferCard calldata card,
        address token,
        PurchaseConfig memory c,
        uint16[3] memory shares
    ) private returns (uint256 proceeds) {
        uint256 price = card.price;
        // Like `Listed` before `Purchased` in a listing's life: the trade's seller and voucher come first.
        emit SoldToOffer(tradeId, sale.offerId, sale.seller, card.tokenId, price);
        emit Purchased(tradeId, sale.recycler, sale.referrer, price, c.feeBps, bytes32(0));
        proceeds = _creditFee(
            tradeId,
            price,
            c.feeBps,
            token,
            sale.recycler,
            sale.seller,
            sale.referrer,
            block.timestamp,
            c.treasury,
            shares
        );
        VOUCHER.transferFrom(sale.seller, sale.recycler, card.tokenId);
    }

    /// @dev A coded card sold into an offer: an order exactly like a coded purchase, the recycler as buyer and the
    /// offer's key for delivery, the voucher taken into custody from the seller.
    function _openOfferOrder(
        uint256 tradeId,
        OfferSale calldata sale,
        OfferCard calldata card,
        address token,
        PurchaseConfig memory c,
        uint256 settleBy
    ) private {
        uint64 expiresAt = card.expiresAt;
        if (expiresAt < settleBy) revert ExpiresBeforeSettlement(tradeId, expiresAt, settleBy);
        _trades[tradeId] = Trade({
            seller: sale.seller,
            tokenId: SafeCast.toUint48(card.tokenId),
            feeBps: c.feeBps,
            termsId: c.termsId,
            status: Status.AwaitingDelivery,
            issuerBacked: false,
            buyer: sale.recycler,
            deadline: _deadline(_arbitration.deliveryWindow),
            voucherExpiresAt: expiresAt > type(uint32).max ? type(uint32).max : uint32(expiresAt),
            purchasedAt: uint32(block.timestamp),
            payToken: token,
            price: uint96(card.price),
            referrer: sale.referrer
        });
        emit SoldToOffer(tradeId, sale.offerId, sale.seller, card.tokenId, card.price);
        emit Purchased(tradeId, sale.recycler, sale.referrer, card.price, c.feeBps, sale.deliveryKey);
        VOUCHER.transferFrom(sale.seller, address(this), card.tokenId);
    }

    /// @dev An instant purchase settles in the buy, under the live terms, from values already read (the buyer is not
    /// stored: see `Purchased`).
    function _settleInstant(
        uint256 tradeId,
        Trade storage t,
        uint256 price,
        address payToken,
        address referrer,
        PurchaseConfig memory c
    ) private {
        address seller = t.seller;
        _countSales(seller, msg.sender, 1);
        uint256 proceeds = _creditFee(
            tradeId,
            price,
            c.feeBps,
            payToken,
            msg.sender,
            seller,
            referrer,
            block.timestamp,
            c.treasury,
            [c.level1Bps, c.level2Bps, c.level3Bps]
        );
        VOUCHER.transferFrom(address(this), msg.sender, t.tokenId);
        _push(seller, payToken, proceeds);
    }

    /// @dev Settles a stored order under the terms recorded at its purchase (one slot read: the bond's slot is not).
    /// Status is already final when this runs; every state change happens before the two interactions.
    function _settleOnTerms(uint256 tradeId, Trade storage t) private {
        Terms storage terms_ = _terms[t.termsId];
        address seller = t.seller;
        address buyer = t.buyer;
        address token = t.payToken;
        _countSales(seller, buyer, 1);
        uint256 proceeds = _creditFee(
            tradeId,
            t.price,
            t.feeBps,
            token,
            buyer,
            seller,
            t.referrer,
            t.purchasedAt,
            terms_.treasury,
            [terms_.level1Bps, terms_.level2Bps, terms_.level3Bps]
        );
        VOUCHER.transferFrom(address(this), buyer, t.tokenId);
        _push(seller, token, proceeds);
    }

    /// @dev The money side of a settlement, from values rather than a stored trade (an instant sale has none): splits
    /// the price exactly as `_split` (which the views use) and credits each part as it is found, with no split held in
    /// memory: the distributors and the treasury, `ReferralCredited` and `Settled`. Returns the seller's proceeds for
    /// the caller to pay (a batch pays them once).
    function _creditFee(
        uint256 tradeId,
        uint256 price,
        uint256 feeBps,
        address token,
        address buyer,
        address seller,
        address referrer,
        uint256 purchasedAt,
        address treasury_,
        uint16[3] memory shares
    ) private returns (uint256 proceeds) {
        uint256 fee;
        // Every caller's price is below 2^96 and its fee at most MAX_FEE_BPS: no overflow, and fee ≤ price.
        unchecked {
            fee = (price * feeBps) / BPS;
            proceeds = price - fee;
        }
        uint256 treasuryShare = fee;
        if (referrer != address(0)) {
            DistributorRecord memory d = _distributors[referrer];
            // As in `_split`: a referrer that had joined by the purchase fixes its whole chain as it stood then.
            if (d.joinedAt != 0 && d.joinedAt <= purchasedAt) {
                address level = referrer;
                for (uint256 i; ;) {
                    if (level != buyer && level != seller) {
                        uint256 share = (fee * shares[i]) / BPS;
                        if (share != 0) {
                            // Shares sum to at most MAX_LEVEL_SHARES_BPS of the fee: the remainder stays ≥ 0.
                            unchecked {
                                treasuryShare -= share;
                            }
                            _credits[level][token] += share;
                            emit ReferralCredited(tradeId, level, uint8(i + 1), share);
                        }
                    }
                    level = d.upline;
                    if (++i == MAX_LEVELS || level == address(0)) break;
                    d = _distributors[level];
                }
            }
        }
        if (treasuryShare != 0) _credits[treasury_][token] += treasuryShare;
        emit Settled(tradeId, proceeds, fee, treasuryShare);
    }

    /// @dev Counts `count` completed sales for the seller and purchases for the buyer.
    function _countSales(address seller, address buyer, uint64 count) private {
        // Counters are uint64 and each settlement adds one (a batch at most MAX_BATCH): no overflow in any realistic
        // lifetime.
        unchecked {
            _stats[seller].sales += count;
            _stats[buyer].purchases += count;
        }
    }

    /// @dev A disputed order the arbiter rejected or left to expire: it settles as confirmed and the seller, falsely
    /// accused or never heard, gets the buyer's bond. The buyer loses the dispute.
    function _releaseDisputed(uint256 tradeId, Trade storage t) private {
        t.status = Status.Completed;
        ++_stats[t.buyer].disputesLost;
        uint256 bond = _bond(t);
        address seller = t.seller;
        emit DisputeBondPaid(tradeId, seller, bond);
        _settleOnTerms(tradeId, t);
        _push(seller, t.payToken, bond);
    }

    /// @dev Returns the price to the buyer and the voucher to the seller. After a dispute the buyer also gets its bond
    /// back, and the voucher is marked disclosed: the buyer saw the code and the arbiter read it.
    function _refund(uint256 tradeId, Trade storage t, bool disputed) private {
        t.status = Status.Refunded;
        emit Refunded(tradeId);
        uint256 bond;
        if (disputed) {
            bond = _bond(t);
            emit DisputeBondPaid(tradeId, t.buyer, bond);
            VOUCHER.markDisclosed(t.tokenId);
        }
        VOUCHER.transferFrom(address(this), t.seller, t.tokenId);
        _push(t.buyer, t.payToken, t.price + bond);
    }

    /// @dev The dispute bond of an order, under the terms of its purchase.
    function _bond(Trade storage t) private view returns (uint256) {
        return (uint256(t.price) * _terms[t.termsId].disputeBondBps) / BPS;
    }

    /// @dev fee = price * feeBps / 10000; level i of the referrer's chain gets fee * levelBps[i] / 10000 unless it
    /// is the buyer or the seller; the treasury gets the rest, so the parts always sum to the price exactly.
    function _split(
        uint256 price,
        uint256 feeBps,
        uint16[3] memory shares,
        address referrer,
        uint256 purchasedAt,
        address buyer,
        address seller
    ) private view returns (Split memory s) {
        s.price = price;
        s.fee = (price * feeBps) / BPS;
        s.sellerProceeds = price - s.fee;
        uint256 remaining = s.fee;
        s.treasuryShare = remaining;
        // No referrer, no read (the zero address never joins): the whole fee is the treasury's.
        if (referrer == address(0)) return s;
        DistributorRecord memory d = _distributors[referrer];
        // Uplines joined before the referrer and the tree never changes, so a referrer that had joined by the purchase
        // fixes the whole chain as it stood then: someone who joins after a purchase earns nothing from it.
        if (d.joinedAt != 0 && d.joinedAt <= purchasedAt) {
            address level = referrer;
            for (uint256 i; ;) {
                if (level != buyer && level != seller) {
                    uint256 share = (s.fee * shares[i]) / BPS;
                    s.distributors[i] = level;
                    s.distributorShares[i] = share;
                    // Shares sum to at most MAX_LEVEL_SHARES_BPS of the fee: the remainder never goes below zero.
                    unchecked {
                        remaining -= share;
                    }
                }
                level = d.upline;
                if (++i == MAX_LEVELS || level == address(0)) break;
                d = _distributors[level];
            }
        }
        s.treasuryShare = remaining;
    }

    /// @dev Pays `to` now if it accepts; otherwise the amount becomes its credit, so no recipient can block a
    /// settlement or refund. ETH goes with a bounded gas stipend and the call copies no return data, so a receiver
    /// can neither burn the caller's gas nor return-bomb it.
    function _push(address to, address token, uint256 amount) private {
        bool ok;
        if (token == address(0)) {
            uint256 stipend = PUSH_GAS;
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                ok := call(stipend, to, amount, 0, 0, 0, 0)
            }
        } else {
            ok = IERC20(token).trySafeTransfer(to, amount);
        }
        if (!ok) {
            _credits[to][token] += amount;
            emit PaymentDeferred(to, token, amount);
        }
    }

    /// @dev Refuses fee-on-transfer and other tokens whose transfers do not move exactly the amount asked.
    function _pullExact(IERC20 token, address from, uint256 amount) private {
        uint256 balanceBefore = token.balanceOf(address(this));
        token.safeTransferFrom(from, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - balanceBefore;
        if (received != amount) revert PaymentShortfall(received, amount);
    }

    /// @dev Unix seconds fit 32 bits until 2106; windows are at most 30 days.
    function _deadline(uint32 window) private view returns (uint32) {
        return uint32(block.timestamp + window);
    }

    function _requireStatus(uint256 tradeId, Status actual, Status expected) private pure {
        if (actual != expected) revert InvalidStatus(tradeId, actual);
    }

    function _requireDeadlinePassed(uint256 tradeId, uint256 deadline) private view {
        if (block.timestamp <= deadline) revert DeadlineNotReached(tradeId, deadline);
    }

    /// @dev Records the current treasury, level shares and windows as new terms that orders bought from now on keep.
    /// After 65,535 changes the uint16 id overflows and the change reverts rather than reuse old terms.
    function _recordTerms() private {
        PurchaseConfig storage c = _config;
        ArbiterAndWindows memory w = _arbitration;
        uint16 termsId = c.termsId + 1;
        // Windows are bounded by MAX_WINDOW (30 days), which fits 24 bits.
        _terms[termsId] = Terms({
            treasury: c.treasury,
            level1Bps: c.level1Bps,
            level2Bps: c.level2Bps,
            level3Bps: c.level3Bps,
            confirmWindow: uint24(w.confirmWindow),
            arbitrationWindow: uint24(w.arbitrationWindow),
            disputeBondBps: _disputeBondBps
        });
        c.termsId = termsId;
        emit TermsRecorded(termsId);
    }

    /// @dev Listed, not expired, and (for a coded voucher) its delivery and confirm windows end before it expires.
    function _buyable(Trade storage t, uint256 settleBy) private view returns (bool) {
        if (t.status != Status.Listed) return false;
        uint256 expiresAt = t.voucherExpiresAt;
        return t.issuerBacked ? block.timestamp < expiresAt : settleBy <= expiresAt;
    }

    /// @dev The minimum price of an accepted payment token; reverts for one that is not accepted.
    function _acceptedMinPrice(address token) private view returns (uint256 minPrice_) {
        minPrice_ = _minPrices[token];
        if (minPrice_ == 0) revert PayTokenNotAllowed(token);
    }

    function _checkPrice(uint256 price, uint256 minPrice_) private pure {
        if (price < minPrice_ || price > type(uint96).max) revert PriceOutOfRange(price, minPrice_);
    }

    function _checkFee(uint16 feeBps) private pure {
        if (feeBps < MIN_FEE_BPS || feeBps > MAX_FEE_BPS) revert FeeOutOfBounds(feeBps);
    }

    function _checkWindow(uint32 window) private pure {
        if (window < MIN_WINDOW || window > MAX_WINDOW) revert WindowOutOfBounds(window);
    }
}
