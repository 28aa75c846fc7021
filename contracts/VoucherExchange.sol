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
    /// @notice Smallest price in base units of the payment token: at 1% a fee never rounds to zero.
    uint256 public constant MIN_PRICE = 10_000;
    uint256 public constant MAX_BATCH = 50;
    uint256 public constant MAX_LEVELS = 3;
    /// @notice Ids one `activeListings` call scans: ~15k gas each keeps a full page near 4M gas, under RPC call caps.
    uint256 public constant MAX_PAGE = 250;
    uint32 public constant MIN_WINDOW = 1 hours;
    uint32 public constant MAX_WINDOW = 30 days;
    /// @notice Gas forwarded with an ETH push: enough for a smart-wallet `receive`, too little to grief settlement.
    uint256 public constant PUSH_GAS = 30_000;
    uint256 private constant BPS = 10_000;

    IVoucherToken public immutable VOUCHER;

    /// @dev Read by every purchase and settlement, so it fits one slot: 160 + 16 + 3 * 16 + 8 = 232 bits. The pause
    /// flag lives here rather than in OpenZeppelin's Pausable (its own slot) to save a cold read on every buy.
    struct FeeConfig {
        address treasury;
        uint16 feeBps;
        uint16 level1Bps;
        uint16 level2Bps;
        uint16 level3Bps;
        bool paused;
    }

    /// @dev Fits one slot: 160 + 3 * 32 = 256 bits.
    struct Roles {
        address arbiter;
        uint32 deliveryWindow;
        uint32 confirmWindow;
        uint32 arbitrationWindow;
    }

    /// @dev Fits one slot.
    struct DistributorRecord {
        address upline;
        bool joined;
    }

    FeeConfig private _fees;
    Roles private _roles;
    uint256 private _tradeCount;
    mapping(uint256 tradeId => Trade) private _trades;
    mapping(address account => DistributorRecord) private _distributors;
    mapping(address account => mapping(address token => uint256 amount)) private _credits;
    mapping(address account => Stats) private _stats;
    EnumerableSet.AddressSet private _payTokens;

    modifier whenNotPaused() {
        if (_fees.paused) revert EnforcedPause();
        _;
    }

    modifier onlySeller(uint256 tradeId) {
        if (msg.sender != _trades[tradeId].seller) revert NotSeller(msg.sender, tradeId);
        _;
    }

    modifier onlyBuyer(uint256 orderId) {
        if (msg.sender != _trades[orderId].buyer) revert NotBuyer(msg.sender, orderId);
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
        _fees = FeeConfig({
            treasury: treasury_,
            feeBps: feeBps,
            level1Bps: 3000,
            level2Bps: 1500,
            level3Bps: 500,
            paused: false
        });
        _roles = Roles({arbiter: arbiter_, deliveryWindow: 1 days, confirmWindow: 3 days, arbitrationWindow: 7 days});
        emit ProtocolFeeSet(feeBps);
        emit LevelSharesSet([uint16(3000), 1500, 500]);
        emit TreasurySet(treasury_);
        emit ArbiterSet(arbiter_);
        emit WindowsSet(1 days, 3 days, 7 days);
    }

    // ─── Listings ────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IVoucherExchange
    function list(
        uint256 tokenId,
        address payToken,
        uint256 price
    ) external nonReentrant whenNotPaused returns (uint256 listingId) {
        _checkPayToken(payToken);
        listingId = _list(tokenId, payToken, price);
    }

    /// @inheritdoc IVoucherExchange
    function listBatch(
        uint256[] calldata tokenIds,
        address payToken,
        uint256[] calldata prices
    ) external nonReentrant whenNotPaused returns (uint256 firstListingId) {
        uint256 n = tokenIds.length;
        if (n == 0 || n > MAX_BATCH || prices.length != n) revert InvalidBatchSize(n);
        _checkPayToken(payToken);
        firstListingId = _tradeCount + 1;
        for (uint256 i; i < n; ++i) {
            _list(tokenIds[i], payToken, prices[i]);
        }
    }

    /// @inheritdoc IVoucherExchange
    function cancelListing(uint256 listingId) external nonReentrant onlySeller(listingId) {
        Trade storage t = _trades[listingId];
        _requireStatus(listingId, t.status, Status.Listed);
        t.status = Status.Cancelled;
        emit ListingCancelled(listingId);
        VOUCHER.transferFrom(address(this), msg.sender, t.tokenId);
    }

    /// @inheritdoc IVoucherExchange
    function updatePrice(
        uint256 listingId,
        uint256 newPrice
    ) external nonReentrant whenNotPaused onlySeller(listingId) {
        Trade storage t = _trades[listingId];
        _requireStatus(listingId, t.status, Status.Listed);
        _checkPrice(newPrice);
        uint256 oldPrice = t.price;
        t.price = uint96(newPrice);
        emit PriceUpdated(listingId, oldPrice, newPrice);
    }

    // ─── Orders ──────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IVoucherExchange
    function buy(
        uint256 listingId,
        uint256 maxPrice,
        address referrer,
        bytes32 buyerKey
    ) external payable nonReentrant whenNotPaused {
        Trade storage t = _trades[listingId];
        _requireStatus(listingId, t.status, Status.Listed);
        if (msg.sender == t.seller) revert SellerCannotBuy(listingId);
        uint256 price = t.price;
        if (price > maxPrice) revert PriceAboveMax(price, maxPrice);
        if (block.timestamp >= t.voucherExpiresAt) revert VoucherExpired(t.tokenId, t.voucherExpiresAt);
        bool instant = t.issuerBacked;
        if (!instant && buyerKey == bytes32(0)) revert MissingBuyerKey();
        address payToken = t.payToken;
        uint256 expectedValue = payToken == address(0) ? price : 0;
        if (msg.value != expectedValue) revert WrongPayment(msg.value, expectedValue);

        uint16 feeBps = _fees.feeBps;
        t.feeBps = feeBps;
        if (instant) {
            // An instant sale is final in this transaction, so its buyer lives in the Purchased event only: not
            // writing slot 1 keeps the cheapest purchase under its gas budget.
            t.status = Status.Completed;
        } else {
            t.status = Status.AwaitingDelivery;
            t.buyer = msg.sender;
            t.deadline = _deadline(_roles.deliveryWindow);
            if (referrer != address(0)) t.referrer = referrer;
        }
        emit Purchased(listingId, msg.sender, referrer, price, feeBps, buyerKey);

        if (payToken != address(0)) _pullExact(IERC20(payToken), price);
        if (instant) _settle(listingId, t, msg.sender, referrer);
    }

    /// @inheritdoc IVoucherExchange
    function deliverCode(uint256 orderId, bytes calldata ciphertext) external nonReentrant onlySeller(orderId) {
        Trade storage t = _trades[orderId];
        _requireStatus(orderId, t.status, Status.AwaitingDelivery);
        if (block.timestamp > t.deadline) revert DeadlinePassed(orderId, t.deadline);
        if (ciphertext.length == 0) revert EmptyDelivery();
        t.status = Status.Delivered;
        t.deadline = _deadline(_roles.confirmWindow);
        emit CodeDelivered(orderId, ciphertext);
    }

    /// @inheritdoc IVoucherExchange
    function confirm(uint256 orderId) external nonReentrant onlyBuyer(orderId) {
        Trade storage t = _trades[orderId];
        _requireStatus(orderId, t.status, Status.Delivered);
        t.status = Status.Completed;
        _settle(orderId, t, t.buyer, t.referrer);
    }

    /// @inheritdoc IVoucherExchange
    function finalize(uint256 orderId) external nonReentrant {
        Trade storage t = _trades[orderId];
        _requireStatus(orderId, t.status, Status.Delivered);
        _requireDeadlinePassed(orderId, t.deadline);
        t.status = Status.Completed;
        _settle(orderId, t, t.buyer, t.referrer);
    }

    /// @inheritdoc IVoucherExchange
    function cancelUndelivered(uint256 orderId) external nonReentrant {
        Trade storage t = _trades[orderId];
        _requireStatus(orderId, t.status, Status.AwaitingDelivery);
        _requireDeadlinePassed(orderId, t.deadline);
        _refund(orderId, t);
    }

    /// @inheritdoc IVoucherExchange
    function dispute(uint256 orderId, bytes32 evidenceKey) external nonReentrant onlyBuyer(orderId) {
        Trade storage t = _trades[orderId];
        _requireStatus(orderId, t.status, Status.Delivered);
        if (block.timestamp > t.deadline) revert DeadlinePassed(orderId, t.deadline);
        if (evidenceKey == bytes32(0)) revert MissingEvidenceKey();
        t.status = Status.Disputed;
        t.deadline = _deadline(_roles.arbitrationWindow);
        emit Disputed(orderId, evidenceKey);
    }

    /// @inheritdoc IVoucherExchange
    function resolve(uint256 orderId, bool refundBuyer) external nonReentrant {
        if (msg.sender != _roles.arbiter) revert NotArbiter(msg.sender);
        Trade storage t = _trades[orderId];
        _requireStatus(orderId, t.status, Status.Disputed);
        if (block.timestamp > t.deadline) revert DeadlinePassed(orderId, t.deadline);
        emit DisputeResolved(orderId, refundBuyer);
        if (refundBuyer) {
            ++_stats[t.seller].disputesLost;
            _refund(orderId, t);
        } else {
            ++_stats[t.buyer].disputesLost;
            t.status = Status.Completed;
            _settle(orderId, t, t.buyer, t.referrer);
        }
    }

    /// @inheritdoc IVoucherExchange
    function expireDispute(uint256 orderId) external nonReentrant {
        Trade storage t = _trades[orderId];
        _requireStatus(orderId, t.status, Status.Disputed);
        _requireDeadlinePassed(orderId, t.deadline);
        _refund(orderId, t);
    }

    // ─── Distributors and credits ────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IVoucherExchange
    function joinDistributors(address upline) external nonReentrant {
        if (_distributors[msg.sender].joined) revert AlreadyDistributor(msg.sender);
        // Only existing distributors can be uplines and nobody can join twice, so every chain ends at a root and the
        // tree has no cycles by construction.
        if (upline != address(0) && !_distributors[upline].joined) revert NotDistributor(upline);
        _distributors[msg.sender] = DistributorRecord({upline: upline, joined: true});
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
        _fees.feeBps = feeBps;
        emit ProtocolFeeSet(feeBps);
    }

    /// @inheritdoc IVoucherExchange
    function setLevelShares(uint16[3] calldata shares) external onlyOwner {
        uint256 sum = uint256(shares[0]) + shares[1] + shares[2];
        if (sum > BPS) revert InvalidLevelShares(sum);
        (_fees.level1Bps, _fees.level2Bps, _fees.level3Bps) = (shares[0], shares[1], shares[2]);
        emit LevelSharesSet(shares);
    }

    /// @inheritdoc IVoucherExchange
    function setTreasury(address treasury_) external onlyOwner {
        if (treasury_ == address(0)) revert ZeroAddress();
        _fees.treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    /// @inheritdoc IVoucherExchange
    function setArbiter(address arbiter_) external onlyOwner {
        if (arbiter_ == address(0)) revert ZeroAddress();
        _roles.arbiter = arbiter_;
        emit ArbiterSet(arbiter_);
    }

    /// @inheritdoc IVoucherExchange
    function setPayToken(address token, bool allowed) external onlyOwner {
        if (token == address(0)) revert ZeroAddress();
        if (allowed) _payTokens.add(token);
        else _payTokens.remove(token);
        emit PayTokenSet(token, allowed);
    }

    /// @inheritdoc IVoucherExchange
    function setWindows(uint32 deliveryWindow, uint32 confirmWindow, uint32 arbitrationWindow) external onlyOwner {
        _checkWindow(deliveryWindow);
        _checkWindow(confirmWindow);
        _checkWindow(arbitrationWindow);
        (_roles.deliveryWindow, _roles.confirmWindow, _roles.arbitrationWindow) = (
            deliveryWindow,
            confirmWindow,
            arbitrationWindow
        );
        emit WindowsSet(deliveryWindow, confirmWindow, arbitrationWindow);
    }

    /// @inheritdoc IVoucherExchange
    function pause() external onlyOwner {
        if (_fees.paused) revert EnforcedPause();
        _fees.paused = true;
        emit Paused(msg.sender);
    }

    /// @inheritdoc IVoucherExchange
    function unpause() external onlyOwner {
        if (!_fees.paused) revert ExpectedPause();
        _fees.paused = false;
        emit Unpaused(msg.sender);
    }

    // ─── Views ───────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IVoucherExchange
    function paused() external view returns (bool) {
        return _fees.paused;
    }

    /// @inheritdoc IVoucherExchange
    function protocolFeeBps() external view returns (uint16) {
        return _fees.feeBps;
    }

    /// @inheritdoc IVoucherExchange
    function levelShares() external view returns (uint16[3] memory) {
        FeeConfig memory f = _fees;
        return [f.level1Bps, f.level2Bps, f.level3Bps];
    }

    /// @inheritdoc IVoucherExchange
    function treasury() external view returns (address) {
        return _fees.treasury;
    }

    /// @inheritdoc IVoucherExchange
    function arbiter() external view returns (address) {
        return _roles.arbiter;
    }

    /// @inheritdoc IVoucherExchange
    function windows() external view returns (uint32, uint32, uint32) {
        Roles memory r = _roles;
        return (r.deliveryWindow, r.confirmWindow, r.arbitrationWindow);
    }

    /// @inheritdoc IVoucherExchange
    function trade(uint256 tradeId) external view returns (Trade memory) {
        return _trades[tradeId];
    }

    /// @inheritdoc IVoucherExchange
    function activeListings(uint256 fromId, uint256 count) external view returns (ListingView[] memory page) {
        if (fromId == 0) fromId = 1;
        uint256 end = fromId + (count > MAX_PAGE ? MAX_PAGE : count);
        if (end > _tradeCount + 1) end = _tradeCount + 1;
        uint256 found;
        for (uint256 id = fromId; id < end; ++id) {
            if (_trades[id].status == Status.Listed) ++found;
        }
        page = new ListingView[](found);
        uint256 k;
        for (uint256 id = fromId; k < found; ++id) {
            Trade storage t = _trades[id];
            if (t.status != Status.Listed) continue;
            IVoucherToken.Voucher memory v = VOUCHER.voucher(t.tokenId);
            page[k++] = ListingView({
                listingId: id,
                tokenId: t.tokenId,
                seller: t.seller,
                payToken: t.payToken,
                price: t.price,
                brandId: v.brandId,
                faceValue: v.faceValue,
                expiresAt: v.expiresAt,
                issuerBacked: v.issuerBacked
            });
        }
    }

    /// @inheritdoc IVoucherExchange
    function quote(uint256 listingId, address referrer) external view returns (Split memory) {
        Trade storage t = _trades[listingId];
        _requireStatus(listingId, t.status, Status.Listed);
        return _split(t.price, _fees.feeBps, referrer, msg.sender, t.seller);
    }

    /// @inheritdoc IVoucherExchange
    function previewSplit(
        uint256 price,
        uint16 feeBps,
        address referrer,
        address buyer,
        address seller
    ) external view returns (Split memory) {
        return _split(price, feeBps, referrer, buyer, seller);
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
    function distributor(address account_) external view returns (bool joined, address upline) {
        DistributorRecord memory d = _distributors[account_];
        return (d.joined, d.upline);
    }

    /// @inheritdoc IVoucherExchange
    function payTokens() external view returns (address[] memory) {
        return _payTokens.values();
    }

    /// @inheritdoc IVoucherExchange
    function tradeCount() external view returns (uint256) {
        return _tradeCount;
    }

    // ─── Internals ───────────────────────────────────────────────────────────────────────────────────────────────

    function _list(uint256 tokenId, address payToken, uint256 price) private returns (uint256 listingId) {
        _checkPrice(price);
        if (VOUCHER.ownerOf(tokenId) != msg.sender) revert NotVoucherOwner(msg.sender, tokenId);
        IVoucherToken.Voucher memory v = VOUCHER.voucher(tokenId);
        if (block.timestamp >= v.expiresAt) revert VoucherExpired(tokenId, v.expiresAt);
        listingId = ++_tradeCount;
        // voucherExpiresAt keeps slot 1 non-zero, so an order's buy that writes the buyer pays 2,900 gas, not 20,000.
        _trades[listingId] = Trade({
            seller: msg.sender,
            tokenId: SafeCast.toUint64(tokenId),
            feeBps: 0,
            status: Status.Listed,
            issuerBacked: v.issuerBacked,
            buyer: address(0),
            deadline: 0,
            voucherExpiresAt: v.expiresAt > type(uint40).max ? type(uint40).max : uint40(v.expiresAt),
            payToken: payToken,
            price: uint96(price),
            referrer: address(0)
        });
        emit Listed(listingId, msg.sender, tokenId, payToken, price);
        VOUCHER.transferFrom(msg.sender, address(this), tokenId);
    }

    /// @dev Status is already final when this runs; every state change happens before the two interactions.
    function _settle(uint256 orderId, Trade storage t, address buyer, address referrer) private {
        address seller = t.seller;
        address token = t.payToken;
        Split memory s = _split(t.price, t.feeBps, referrer, buyer, seller);
        // Counters are uint64 and each settlement adds one: they cannot overflow in any realistic lifetime.
        unchecked {
            ++_stats[seller].sales;
            ++_stats[buyer].purchases;
        }
        for (uint256 i; i < MAX_LEVELS; ++i) {
            uint256 share = s.distributorShares[i];
            if (share == 0) continue;
            _credits[s.distributors[i]][token] += share;
            emit ReferralCredited(orderId, s.distributors[i], uint8(i + 1), share);
        }
        if (s.treasuryShare != 0) _credits[_fees.treasury][token] += s.treasuryShare;
        emit Settled(orderId, s.sellerProceeds, s.fee, s.treasuryShare);
        VOUCHER.transferFrom(address(this), buyer, t.tokenId);
        _push(seller, token, s.sellerProceeds);
    }

    function _refund(uint256 orderId, Trade storage t) private {
        t.status = Status.Refunded;
        emit Refunded(orderId);
        VOUCHER.transferFrom(address(this), t.seller, t.tokenId);
        _push(t.buyer, t.payToken, t.price);
    }

    /// @dev fee = price * feeBps / 10000; level i of the referrer's chain gets fee * levelBps[i] / 10000 unless it
    /// is the buyer or the seller; the treasury gets the rest, so the parts always sum to the price exactly.
    function _split(
        uint256 price,
        uint256 feeBps,
        address referrer,
        address buyer,
        address seller
    ) private view returns (Split memory s) {
        FeeConfig memory f = _fees;
        s.price = price;
        s.fee = (price * feeBps) / BPS;
        s.sellerProceeds = price - s.fee;
        uint256 remaining = s.fee;
        DistributorRecord memory d = _distributors[referrer];
        if (referrer != address(0) && d.joined) {
            uint16[3] memory shares = [f.level1Bps, f.level2Bps, f.level3Bps];
            address level = referrer;
            for (uint256 i; ;) {
                if (level != buyer && level != seller) {
                    uint256 share = (s.fee * shares[i]) / BPS;
                    s.distributors[i] = level;
                    s.distributorShares[i] = share;
                    // Shares sum to at most 10000 bps of the fee, so the running remainder never goes below zero.
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
    function _pullExact(IERC20 token, uint256 amount) private {
        uint256 balanceBefore = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - balanceBefore;
        if (received != amount) revert PaymentShortfall(received, amount);
    }

    function _deadline(uint32 window) private view returns (uint40) {
        return uint40(block.timestamp + window);
    }

    function _requireStatus(uint256 tradeId, Status actual, Status expected) private pure {
        if (actual != expected) revert InvalidStatus(tradeId, actual);
    }

    function _requireDeadlinePassed(uint256 tradeId, uint256 deadline) private view {
        if (block.timestamp <= deadline) revert DeadlineNotReached(tradeId, deadline);
    }

    function _checkPayToken(address token) private view {
        if (token != address(0) && !_payTokens.contains(token)) revert PayTokenNotAllowed(token);
    }

    function _checkPrice(uint256 price) private pure {
        if (price < MIN_PRICE || price > type(uint96).max) revert PriceOutOfRange(price);
    }

    function _checkFee(uint16 feeBps) private pure {
        if (feeBps < MIN_FEE_BPS || feeBps > MAX_FEE_BPS) revert FeeOutOfBounds(feeBps);
    }

    function _checkWindow(uint32 window) private pure {
        if (window < MIN_WINDOW || window > MAX_WINDOW) revert WindowOutOfBounds(window);
    }
}
