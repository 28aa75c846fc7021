// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IVoucherExchange
/// @notice Listings, escrowed orders, disputes, a bounded protocol fee, a 3-level distributor network and pull-payment
/// credits for Kaquan vouchers. A listing and the order it becomes share one id ("trade id"): buying listing `n`
/// opens (or, for an issuer-backed voucher, settles) order `n`.
///
/// Order life cycle of a coded voucher:
/// Listed → AwaitingDelivery → Delivered → Completed, with the timed exits
/// AwaitingDelivery → Refunded (`cancelUndelivered` after the delivery window),
/// Delivered → Completed (`finalize` after the confirm window),
/// Delivered → Disputed → Completed | Refunded (`resolve`),
/// or Disputed → Refunded (`expireDispute` after the arbitration window).
interface IVoucherExchange {
    enum Status {
        None,
        Listed,
        Cancelled,
        AwaitingDelivery,
        Delivered,
        Disputed,
        Completed,
        Refunded
    }

    /// @notice A listing and, once bought, its order. Field order packs three slots (a fourth for referred orders):
    /// a purchase reads three cold slots, not four. A 96-bit price caps one listing at ~7.9e28 base units (79 billion
    /// tokens of 18 decimals); the split arithmetic itself is exact for any price (see `previewSplit`).
    struct Trade {
        // slot 0: 160 + 64 + 16 + 8 + 8 = 256 bits
        address seller;
        uint64 tokenId;
        uint16 feeBps;
        Status status;
        bool issuerBacked;
        // slot 1: 160 + 40 + 40 = 240 bits; `buyer` stays zero for instant (issuer-backed) sales: see `Purchased`
        address buyer;
        uint40 deadline;
        uint40 voucherExpiresAt;
        // slot 2: 160 + 96 = 256 bits
        address payToken;
        uint96 price;
        // slot 3, written only when a waiting order has a referrer
        address referrer;
    }

    /// @notice The exact money movements of a settlement:
    /// `price == sellerProceeds + sum(distributorShares) + treasuryShare`.
    struct Split {
        uint256 price;
        uint256 fee;
        uint256 sellerProceeds;
        address[3] distributors;
        uint256[3] distributorShares;
        uint256 treasuryShare;
    }

    /// @notice Reputation counters of an account.
    struct Stats {
        uint64 sales;
        uint64 purchases;
        uint64 disputesLost;
    }

    /// @notice An active listing as the market page shows it, joined with its voucher.
    struct ListingView {
        uint256 listingId;
        uint256 tokenId;
        address seller;
        address payToken;
        uint256 price;
        uint32 brandId;
        uint128 faceValue;
        uint64 expiresAt;
        bool issuerBacked;
    }

    /// @notice Thrown when a payment token is not allow-listed.
    error PayTokenNotAllowed(address token);
    /// @notice Thrown when a price is below `MIN_PRICE` or above 2^96 - 1.
    error PriceOutOfRange(uint256 price);
    /// @notice Thrown when the caller does not own the voucher it tries to list.
    error NotVoucherOwner(address caller, uint256 tokenId);
    /// @notice Thrown when listing or buying a voucher past its expiry.
    error VoucherExpired(uint256 tokenId, uint64 expiresAt);
    /// @notice Thrown when a batch is empty, larger than `MAX_BATCH`, or its arrays differ in length.
    error InvalidBatchSize(uint256 size);
    /// @notice Thrown when someone other than the seller acts on its listing or order.
    error NotSeller(address caller, uint256 tradeId);
    /// @notice Thrown when someone other than the buyer acts on its order.
    error NotBuyer(address caller, uint256 orderId);
    /// @notice Thrown when someone other than the arbiter calls `resolve`.
    error NotArbiter(address caller);
    /// @notice Thrown when a trade is not in the state the call needs.
    error InvalidStatus(uint256 tradeId, Status status);
    /// @notice Thrown when the listing's price is above the buyer's `maxPrice` (it was raised in front of the buy).
    error PriceAboveMax(uint256 price, uint256 maxPrice);
    /// @notice Thrown when the seller tries to buy its own listing.
    error SellerCannotBuy(uint256 listingId);
    /// @notice Thrown when a coded voucher is bought without a key to deliver its code to.
    error MissingBuyerKey();
    /// @notice Thrown when the ETH sent does not match what the call needs (the price, or zero for token payments).
    error WrongPayment(uint256 sent, uint256 expected);
    /// @notice Thrown when a token delivers less than the amount transferred (fee-on-transfer tokens are refused).
    error PaymentShortfall(uint256 received, uint256 expected);
    /// @notice Thrown when a code delivery is empty.
    error EmptyDelivery();
    /// @notice Thrown when a call comes before the deadline it waits for.
    error DeadlineNotReached(uint256 tradeId, uint256 deadline);
    /// @notice Thrown when a call comes after the window it belongs to has closed.
    error DeadlinePassed(uint256 tradeId, uint256 deadline);
    /// @notice Thrown when a dispute's evidence key is zero.
    error MissingEvidenceKey();
    /// @notice Thrown when an account joins the distributor network twice.
    error AlreadyDistributor(address account);
    /// @notice Thrown when the upline is not a distributor (and not zero).
    error NotDistributor(address upline);
    /// @notice Thrown when claiming with no credit.
    error NothingToClaim(address account, address token);
    /// @notice Thrown when the protocol fee is outside [MIN_FEE_BPS, MAX_FEE_BPS].
    error FeeOutOfBounds(uint256 feeBps);
    /// @notice Thrown when the level shares sum above 10000 bps.
    error InvalidLevelShares(uint256 sum);
    /// @notice Thrown when a window is outside [MIN_WINDOW, MAX_WINDOW].
    error WindowOutOfBounds(uint256 window);
    /// @notice Thrown when a new listing, price change or purchase comes while the exchange is paused, or on `pause`
    /// while paused.
    error EnforcedPause();
    /// @notice Thrown on `unpause` while not paused.
    error ExpectedPause();
    /// @notice Thrown when setting the treasury or arbiter to the zero address.
    error ZeroAddress();

    /// @notice Emitted when a voucher is listed and taken into custody.
    event Listed(
        uint256 indexed listingId,
        address indexed seller,
        uint256 indexed tokenId,
        address payToken,
        uint256 price
    );
    /// @notice Emitted when a seller withdraws its listing; the voucher goes back to it.
    event ListingCancelled(uint256 indexed listingId);
    /// @notice Emitted when a seller changes its listing's price.
    event PriceUpdated(uint256 indexed listingId, uint256 oldPrice, uint256 newPrice);
    /// @notice Emitted when a buyer pays into escrow. `buyerKey` is its per-order X25519 key for code delivery.
    event Purchased(
        uint256 indexed orderId,
        address indexed buyer,
        address indexed referrer,
        uint256 price,
        uint16 feeBps,
        bytes32 buyerKey
    );
    /// @notice Emitted when the seller posts the code and salt encrypted to the buyer's key.
    event CodeDelivered(uint256 indexed orderId, bytes ciphertext);
    /// @notice Emitted when the buyer disputes a delivery and publishes its per-order secret key as evidence.
    event Disputed(uint256 indexed orderId, bytes32 evidenceKey);
    /// @notice Emitted when an order settles: the voucher is the buyer's, the seller is paid, fees are credited.
    event Settled(uint256 indexed orderId, uint256 sellerProceeds, uint256 fee, uint256 treasuryShare);
    /// @notice Emitted when an order is refunded: the buyer gets the price back, the voucher returns to the seller.
    event Refunded(uint256 indexed orderId);
    /// @notice Emitted when the arbiter rules on a dispute.
    event DisputeResolved(uint256 indexed orderId, bool refundBuyer);
    /// @notice Emitted when a distributor is credited its share of an order's fee.
    event ReferralCredited(uint256 indexed orderId, address indexed distributor, uint8 level, uint256 amount);
    /// @notice Emitted when a push payment failed and became a claimable credit.
    event PaymentDeferred(address indexed account, address indexed token, uint256 amount);
    /// @notice Emitted when an account withdraws its credit.
    event Claimed(address indexed account, address indexed token, uint256 amount);
    /// @notice Emitted when an account joins the distributor network.
    event DistributorJoined(address indexed account, address indexed upline);
    /// @notice Emitted when the owner pauses new listings, price changes and purchases.
    event Paused(address account);
    /// @notice Emitted when the owner lifts the pause.
    event Unpaused(address account);
    /// @notice Emitted when the protocol fee changes.
    event ProtocolFeeSet(uint16 feeBps);
    /// @notice Emitted when the distributor level shares change.
    event LevelSharesSet(uint16[3] shares);
    /// @notice Emitted when the treasury changes.
    event TreasurySet(address treasury);
    /// @notice Emitted when the arbiter changes.
    event ArbiterSet(address arbiter);
    /// @notice Emitted when a payment token is allowed or disallowed.
    event PayTokenSet(address indexed token, bool allowed);
    /// @notice Emitted when the delivery, confirm or arbitration windows change.
    event WindowsSet(uint32 deliveryWindow, uint32 confirmWindow, uint32 arbitrationWindow);

    /// @notice Lists a voucher the caller owns for `price` in `payToken` (address(0) = ETH) and takes it into custody.
    /// Needs the exchange approved for the voucher. Stopped by pause.
    function list(uint256 tokenId, address payToken, uint256 price) external returns (uint256 listingId);

    /// @notice `list` for up to `MAX_BATCH` vouchers in one payment token; ids are consecutive from the returned one.
    function listBatch(
        uint256[] calldata tokenIds,
        address payToken,
        uint256[] calldata prices
    ) external returns (uint256 firstListingId);

    /// @notice Withdraws an active listing and returns the voucher. Seller only; works while paused.
    function cancelListing(uint256 listingId) external;

    /// @notice Changes an active listing's price. Seller only. Stopped by pause.
    function updatePrice(uint256 listingId, uint256 newPrice) external;

    /// @notice Buys a listing, paying its price into escrow (ETH as msg.value, or a token pulled from the caller).
    /// An issuer-backed voucher settles at once; a coded one waits for the seller's delivery to `buyerKey`.
    /// @param maxPrice reverts if the price is above it, so a price raised in front of the buy cannot hit the buyer.
    /// @param referrer the distributor whose link brought the buyer, or zero; non-distributors earn nothing.
    /// @param buyerKey the buyer's per-order X25519 public key (ignored for issuer-backed vouchers).
    function buy(uint256 listingId, uint256 maxPrice, address referrer, bytes32 buyerKey) external payable;

    /// @notice Posts the code and salt sealed to the buyer's key. Seller only, inside the delivery window, once.
    function deliverCode(uint256 orderId, bytes calldata ciphertext) external;

    /// @notice Accepts a delivered code and settles. Buyer only.
    function confirm(uint256 orderId) external;

    /// @notice Settles a delivered order whose confirm window passed without a dispute. Anyone.
    function finalize(uint256 orderId) external;

    /// @notice Refunds an order whose code was not delivered within the delivery window. Anyone (the refund goes to
    /// the buyer, the voucher to the seller), so the escrow never depends on one party showing up.
    function cancelUndelivered(uint256 orderId) external;

    /// @notice Disputes a delivery inside the confirm window, publishing the order's X25519 secret key so anyone can
    /// decrypt the delivery and check it against the voucher's `codeHash`. Buyer only.
    function dispute(uint256 orderId, bytes32 evidenceKey) external;

    /// @notice Rules on a disputed order inside the arbitration window: refund (buyer repaid, no fee, voucher back to
    /// the seller) or release (settle as on confirm). Arbiter only.
    function resolve(uint256 orderId, bool refundBuyer) external;

    /// @notice Closes a dispute the arbiter left past the arbitration window, as a refund. Anyone.
    function expireDispute(uint256 orderId) external;

    /// @notice Joins the distributor network under `upline` (a distributor, or zero for a root). Once per account.
    function joinDistributors(address upline) external;

    /// @notice Withdraws the caller's whole credit in `token` (address(0) = ETH).
    function claim(address token) external;

    /// @notice Sets the protocol fee for future orders; reverts outside [MIN_FEE_BPS, MAX_FEE_BPS]. Owner only.
    function setProtocolFee(uint16 feeBps) external;

    /// @notice Sets the fee shares of referral levels 1..3 (bps of the fee, sum ≤ 10000). Owner only.
    function setLevelShares(uint16[3] calldata shares) external;

    /// @notice Sets the account credited the fee remainder. Owner only.
    function setTreasury(address treasury) external;

    /// @notice Sets the account that rules on disputes. Owner only.
    function setArbiter(address arbiter) external;

    /// @notice Allows or disallows an ERC-20 for payment. Owner only.
    function setPayToken(address token, bool allowed) external;

    /// @notice Sets the delivery, confirm and arbitration windows for future deadlines. Owner only.
    function setWindows(uint32 deliveryWindow, uint32 confirmWindow, uint32 arbitrationWindow) external;

    /// @notice Stops new listings, price changes and purchases; never exits. Owner only.
    function pause() external;

    /// @notice Lifts a pause. Owner only.
    function unpause() external;

    /// @notice Whether new listings, price changes and purchases are stopped.
    function paused() external view returns (bool);

    /// @notice The protocol fee new orders pay, in bps of the price.
    function protocolFeeBps() external view returns (uint16);

    /// @notice The fee shares of referral levels 1..3, in bps of the fee.
    function levelShares() external view returns (uint16[3] memory);

    /// @notice The account credited the fee remainder.
    function treasury() external view returns (address);

    /// @notice The account that rules on disputes.
    function arbiter() external view returns (address);

    /// @notice The delivery, confirm and arbitration windows, in seconds.
    function windows() external view returns (uint32 deliveryWindow, uint32 confirmWindow, uint32 arbitrationWindow);

    /// @notice A listing or order by id.
    function trade(uint256 tradeId) external view returns (Trade memory);

    /// @notice The active listings among ids [fromId, fromId + count), joined with their vouchers, in one call.
    function activeListings(uint256 fromId, uint256 count) external view returns (ListingView[] memory page);

    /// @notice The exact split buying `listingId` with `referrer` would produce now, for the caller as buyer.
    function quote(uint256 listingId, address referrer) external view returns (Split memory);

    /// @notice The split a settlement at `price` and `feeBps` with `referrer` would make for `buyer` and `seller` under
    /// the current level shares and distributor tree; exact for any price below 2^256 / 10^4.
    function previewSplit(
        uint256 price,
        uint16 feeBps,
        address referrer,
        address buyer,
        address seller
    ) external view returns (Split memory);

    /// @notice An account's claimable credit in `token`.
    function credits(address account, address token) external view returns (uint256);

    /// @notice An account's reputation counters and its credits in each of `tokens`, in one call.
    function account(
        address account_,
        address[] calldata tokens
    ) external view returns (Stats memory stats, uint256[] memory creditBalances);

    /// @notice Whether an account is a distributor, and its upline.
    function distributor(address account_) external view returns (bool joined, address upline);

    /// @notice The allow-listed ERC-20 payment tokens (ETH, address(0), is always accepted).
    function payTokens() external view returns (address[] memory);

    /// @notice The number of trade ids handed out; ids run from 1 to this number.
    function tradeCount() external view returns (uint256);
}
