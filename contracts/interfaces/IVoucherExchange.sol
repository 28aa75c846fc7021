// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IVoucherExchange
/// @notice Listings, escrowed orders, disputes, a bounded protocol fee, a 3-level distributor network and pull-payment
/// credits for Kaquan vouchers. A listing and the order it becomes are one trade with one id, the `tradeId`: buying
/// trade `n` opens (or, for an issuer-backed voucher, settles) the order of trade `n`.
///
/// Order life cycle of a coded voucher:
/// Listed → AwaitingDelivery → Delivered → Completed, with the timed exits
/// AwaitingDelivery → Refunded (`cancelUndelivered` after the delivery window),
/// Delivered → Completed (`finalize` after the confirm window),
/// Delivered → Disputed → Completed | Refunded (`resolve`),
/// or Disputed → Refunded (`expireDispute` after the arbitration window).
///
/// A paid order keeps the terms in force at its purchase: the fee, the level shares, the treasury, the referrer (as a
/// distributor at that moment; the tree above it never changes) and the confirm and arbitration windows. No later
/// owner change touches it.
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
        // slot 0: 160 + 48 + 16 + 16 + 8 + 8 = 256 bits
        address seller;
        uint48 tokenId;
        uint16 feeBps;
        uint16 termsId;
        Status status;
        bool issuerBacked;
        // slot 1: 160 + 3 * 32 = 256 bits; times are unix seconds (uint32 lasts until 2106; a later voucher expiry is
        // kept as 2106). `buyer`, `purchasedAt` and `termsId` stay zero for instant (issuer-backed) sales, which settle
        // in the purchase itself: see `Purchased`
        address buyer;
        uint32 deadline;
        uint32 voucherExpiresAt;
        uint32 purchasedAt;
        // slot 2: 160 + 96 = 256 bits
        address payToken;
        uint96 price;
        // slot 3, written only when a waiting order has a referrer; it earns only if it joined by `purchasedAt`
        address referrer;
    }

    /// @notice The settlement terms an order keeps from its purchase: who gets the fee remainder, the level shares,
    /// the windows still ahead of a paid order, and the dispute bond. Recorded whenever the owner changes one of them.
    /// Slot 0 (read by every settlement): 160 + 3 * 16 + 2 * 24 = 256 bits (windows are at most `MAX_WINDOW`, 30 days,
    /// well inside 24 bits); slot 1 (read only by a dispute): the bond.
    struct Terms {
        address treasury;
        uint16 level1Bps;
        uint16 level2Bps;
        uint16 level3Bps;
        uint24 confirmWindow;
        uint24 arbitrationWindow;
        uint16 disputeBondBps;
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

    /// @notice Reputation counters of an account: completed sales and purchases, disputes it opened as a buyer, and
    /// disputes it lost (as a seller refunded by the arbiter, or as a buyer whose dispute was rejected or expired).
    struct Stats {
        uint64 sales;
        uint64 purchases;
        uint64 disputesOpened;
        uint64 disputesLost;
    }

    /// @notice A buyable listing as the market page shows it, joined with its voucher.
    struct ListingView {
        uint256 tradeId;
        uint256 tokenId;
        address seller;
        address payToken;
        uint256 price;
        uint32 brandId;
        uint128 faceValue;
        uint64 expiresAt;
        bool issuerBacked;
        bool attested;
    }

    /// @notice What the offers contract tells the exchange about a sale into a standing offer (see `sellToOffer`).
    /// @param offerId the offer whose escrowed budget pays
    /// @param seller the holder selling (it approved the exchange for its vouchers)
    /// @param recycler the offer's recycler: the buyer of every card
    /// @param referrer the seller's referrer, or zero
    /// @param deliveryKey the recycler's X25519 key coded cards are delivered to
    struct OfferSale {
        uint256 offerId;
        address seller;
        address recycler;
        address referrer;
        bytes32 deliveryKey;
    }

    /// @notice One card of a sale into an offer, priced by the offers contract from the offer's schedule.
    struct OfferCard {
        uint256 tokenId;
        uint256 price;
        uint64 expiresAt;
        bool issuerBacked;
    }

    /// @notice The budget of a standing offer escrowed here; fits one slot (160 + 96 bits).
    struct OfferFunds {
        address token;
        uint96 amount;
    }

    /// @notice Thrown when a payment token is not allow-listed.
    /// @param token the refused token
    error PayTokenNotAllowed(address token);
    /// @notice Thrown when a price is below its payment token's minimum or above 2^96 - 1.
    /// @param price the refused price
    /// @param minPrice the payment token's minimum price
    error PriceOutOfRange(uint256 price, uint256 minPrice);
    /// @notice Thrown when the owner sets a payment token's minimum price below `MIN_PRICE_FLOOR` (zero is allowed for
    /// an ERC-20: it disallows the token).
    /// @param minPrice the refused minimum
    error MinPriceTooLow(uint256 minPrice);
    /// @notice Thrown when the caller does not own the voucher it tries to list.
    /// @param caller the caller
    /// @param tokenId the voucher
    error NotVoucherOwner(address caller, uint256 tokenId);
    /// @notice Thrown when listing or buying a voucher past its expiry.
    /// @param tokenId the voucher
    /// @param expiresAt its expiry (unix seconds)
    error VoucherExpired(uint256 tokenId, uint64 expiresAt);
    /// @notice Thrown when buying a coded voucher that expires before its order could settle: the seller's delivery
    /// window and the buyer's confirm window must both end before the voucher does.
    /// @param tradeId the listing
    /// @param expiresAt the voucher's expiry (unix seconds)
    /// @param settleBy when the order's windows would end if bought now
    error ExpiresBeforeSettlement(uint256 tradeId, uint64 expiresAt, uint256 settleBy);
    /// @notice Thrown when a batch is empty, larger than `MAX_BATCH`, or its arrays differ in length.
    /// @param size the number of entries
    error InvalidBatchSize(uint256 size);
    /// @notice Thrown when someone other than the seller acts on its listing or order.
    /// @param caller the caller
    /// @param tradeId the trade
    error NotSeller(address caller, uint256 tradeId);
    /// @notice Thrown when someone other than the buyer acts on its order.
    /// @param caller the caller
    /// @param tradeId the trade
    error NotBuyer(address caller, uint256 tradeId);
    /// @notice Thrown when someone other than the arbiter calls `resolve`.
    /// @param caller the caller
    error NotArbiter(address caller);
    /// @notice Thrown when a trade is not in the state the call needs.
    /// @param tradeId the trade
    /// @param status its current state
    error InvalidStatus(uint256 tradeId, Status status);
    /// @notice Thrown when the listing's price is above the buyer's `maxPrice` (it was raised in front of the buy).
    /// @param price the listing's price
    /// @param maxPrice the most the buyer agreed to pay
    error PriceAboveMax(uint256 price, uint256 maxPrice);
    /// @notice Thrown when the seller tries to buy its own listing.
    /// @param tradeId the listing
    error SellerCannotBuy(uint256 tradeId);
    /// @notice Thrown when listing a coded voucher whose code was disclosed in a dispute.
    /// @param tokenId the voucher
    error VoucherDisclosed(uint256 tokenId);
    /// @notice Thrown when a coded voucher is bought without a key to deliver its code to.
    error MissingBuyerKey();
    /// @notice Thrown when the ETH sent does not match what the call needs (the price, or zero for token payments).
    /// @param sent the ETH sent
    /// @param expected the ETH the call needs
    error WrongPayment(uint256 sent, uint256 expected);
    /// @notice Thrown when a token delivers less than the amount transferred (fee-on-transfer tokens are refused).
    /// @param received what arrived
    /// @param expected what was transferred
    error PaymentShortfall(uint256 received, uint256 expected);
    /// @notice Thrown when a code delivery is empty.
    error EmptyDelivery();
    /// @notice Thrown when a call comes before the deadline it waits for.
    /// @param tradeId the trade
    /// @param deadline the deadline (unix seconds)
    error DeadlineNotReached(uint256 tradeId, uint256 deadline);
    /// @notice Thrown when a call comes after the window it belongs to has closed.
    /// @param tradeId the trade
    /// @param deadline the window's end (unix seconds)
    error DeadlinePassed(uint256 tradeId, uint256 deadline);
    /// @notice Thrown when a dispute comes without evidence.
    error MissingEvidence();
    /// @notice Thrown when disputing while the arbiter has published no key to seal evidence to.
    error NoArbiterKey();
    /// @notice Thrown when the dispute bond is outside [MIN_DISPUTE_BOND_BPS, MAX_DISPUTE_BOND_BPS].
    /// @param bondBps the refused bond, in bps of the price
    error DisputeBondOutOfBounds(uint256 bondBps);
    /// @notice Thrown when an account joins the distributor network twice.
    /// @param account the account
    error AlreadyDistributor(address account);
    /// @notice Thrown when the upline is not a distributor (and not zero).
    /// @param upline the refused upline
    error NotDistributor(address upline);
    /// @notice Thrown when claiming with no credit.
    /// @param account the caller
    /// @param token the asset (address(0) = ETH)
    error NothingToClaim(address account, address token);
    /// @notice Thrown when the protocol fee is outside [MIN_FEE_BPS, MAX_FEE_BPS].
    /// @param feeBps the refused fee
    error FeeOutOfBounds(uint256 feeBps);
    /// @notice Thrown when the level shares sum above `MAX_LEVEL_SHARES_BPS`: the protocol always keeps at least half
    /// of every fee, so referring oneself through a chain of fresh addresses is at most a half rebate.
    /// @param sum the shares' sum in bps of the fee
    error InvalidLevelShares(uint256 sum);
    /// @notice Thrown when a window is outside [MIN_WINDOW, MAX_WINDOW].
    /// @param window the refused window (seconds)
    error WindowOutOfBounds(uint256 window);
    /// @notice Thrown when a new listing, price change or purchase comes while the exchange is paused, or on `pause`
    /// while paused.
    error EnforcedPause();
    /// @notice Thrown on `unpause` while not paused.
    error ExpectedPause();
    /// @notice Thrown when setting the treasury or arbiter to the zero address.
    error ZeroAddress();

    /// @notice Thrown when anyone but the offers contract calls an offer entry point.
    /// @param caller the caller
    error NotOffers(address caller);
    /// @notice Thrown when setting the offers contract a second time, or to the zero address.
    /// @param offers the offers contract already set (zero when the new one was zero)
    error InvalidOffers(address offers);
    /// @notice Thrown when funding an offer that holds a budget in another token.
    /// @param offerId the offer
    /// @param token the token offered
    /// @param expected the token of the budget it holds
    error OfferTokenMismatch(uint256 offerId, address token, address expected);
    /// @notice Thrown when a sale or refund needs more than the offer's escrowed budget: an offer never pays more than
    /// it holds.
    /// @param offerId the offer
    /// @param available its budget
    /// @param needed what the sale or refund needs
    error OfferFundsShort(uint256 offerId, uint256 available, uint256 needed);

    /// @notice Emitted when a voucher is listed and taken into custody.
    /// @param tradeId the new trade
    /// @param seller the seller
    /// @param tokenId the voucher
    /// @param payToken the payment token (address(0) = ETH)
    /// @param price the price in the payment token's base units
    event Listed(
        uint256 indexed tradeId,
        address indexed seller,
        uint256 indexed tokenId,
        address payToken,
        uint256 price
    );
    /// @notice Emitted when a seller withdraws its listing; the voucher goes back to it.
    /// @param tradeId the trade
    event ListingCancelled(uint256 indexed tradeId);
    /// @notice Emitted when a seller changes its listing's price.
    /// @param tradeId the trade
    /// @param oldPrice the price before
    /// @param newPrice the price now
    event PriceUpdated(uint256 indexed tradeId, uint256 oldPrice, uint256 newPrice);
    /// @notice Emitted when a buyer pays into escrow.
    /// @param tradeId the trade
    /// @param buyer the buyer
    /// @param referrer the referrer given; it and its uplines are credited only if it was a distributor at purchase
    /// @param price the price paid
    /// @param feeBps the protocol fee the order keeps
    /// @param buyerKey the buyer's per-order X25519 key for code delivery (zero for issuer-backed vouchers)
    event Purchased(
        uint256 indexed tradeId,
        address indexed buyer,
        address indexed referrer,
        uint256 price,
        uint16 feeBps,
        bytes32 buyerKey
    );
    /// @notice Emitted when the seller posts the code and salt encrypted to the buyer's key.
    /// @param tradeId the trade
    /// @param ciphertext the sealed delivery
    event CodeDelivered(uint256 indexed tradeId, bytes ciphertext);
    /// @notice Emitted when the buyer disputes a delivery, paying the bond, with its evidence sealed to the arbiter.
    /// @param tradeId the trade
    /// @param bond the bond paid, in the order's payment token
    /// @param sealedEvidence the order's X25519 secret key sealed to `arbiterKey`: only the arbiter can read it
    event Disputed(uint256 indexed tradeId, uint256 bond, bytes sealedEvidence);
    /// @notice Emitted when an order settles: the voucher is the buyer's, the seller is paid, fees are credited.
    /// @param tradeId the trade
    /// @param sellerProceeds what the seller receives
    /// @param fee the protocol fee
    /// @param treasuryShare the part of the fee credited to the treasury
    event Settled(uint256 indexed tradeId, uint256 sellerProceeds, uint256 fee, uint256 treasuryShare);
    /// @notice Emitted when an order is refunded: the buyer gets the price back, the voucher returns to the seller.
    /// @param tradeId the trade
    event Refunded(uint256 indexed tradeId);
    /// @notice Emitted when a dispute bond leaves escrow: back to the buyer that won, or to the seller otherwise.
    /// @param tradeId the trade
    /// @param to who gets it
    /// @param amount the bond
    event DisputeBondPaid(uint256 indexed tradeId, address indexed to, uint256 amount);
    /// @notice Emitted when the arbiter rules on a dispute.
    /// @param tradeId the trade
    /// @param refundBuyer true for a refund, false for a release to the seller
    event DisputeResolved(uint256 indexed tradeId, bool refundBuyer);
    /// @notice Emitted when a distributor is credited its share of an order's fee.
    /// @param tradeId the trade
    /// @param distributor the distributor
    /// @param level its level in the referrer's chain (1 = the referrer)
    /// @param amount the credit
    event ReferralCredited(uint256 indexed tradeId, address indexed distributor, uint8 level, uint256 amount);
    /// @notice Emitted when a push payment failed and became a claimable credit.
    /// @param account the payee
    /// @param token the asset (address(0) = ETH)
    /// @param amount the credit
    event PaymentDeferred(address indexed account, address indexed token, uint256 amount);
    /// @notice Emitted when an account withdraws its credit.
    /// @param account the account
    /// @param token the asset (address(0) = ETH)
    /// @param amount the amount withdrawn
    event Claimed(address indexed account, address indexed token, uint256 amount);
    /// @notice Emitted when an account joins the distributor network.
    /// @param account the new distributor
    /// @param upline its upline (zero for a root)
    event DistributorJoined(address indexed account, address indexed upline);
    /// @notice Emitted when the owner pauses new listings, price changes and purchases.
    /// @param account the owner
    event Paused(address account);
    /// @notice Emitted when the owner lifts the pause.
    /// @param account the owner
    event Unpaused(address account);
    /// @notice Emitted when the protocol fee changes.
    /// @param feeBps the fee new orders pay
    event ProtocolFeeSet(uint16 feeBps);
    /// @notice Emitted when the distributor level shares change.
    /// @param shares levels 1..3 in bps of the fee
    event LevelSharesSet(uint16[3] shares);
    /// @notice Emitted when the treasury changes.
    /// @param treasury the new treasury
    event TreasurySet(address treasury);
    /// @notice Emitted when the arbiter publishes the X25519 key dispute evidence is sealed to.
    /// @param arbiter the arbiter
    /// @param key its public key
    event ArbiterKeySet(address indexed arbiter, bytes32 key);
    /// @notice Emitted when the dispute bond of future orders changes.
    /// @param bondBps the bond in bps of the price
    event DisputeBondSet(uint16 bondBps);
    /// @notice Emitted when the arbiter changes.
    /// @param arbiter the new arbiter
    event ArbiterSet(address arbiter);
    /// @notice Emitted when a payment token is allowed, disallowed, or its minimum price changes.
    /// @param token the token (address(0) = ETH)
    /// @param minPrice its minimum price in base units; zero disallows an ERC-20
    event PayTokenSet(address indexed token, uint256 minPrice);
    /// @notice Emitted when the delivery, confirm or arbitration windows change.
    /// @param deliveryWindow seconds a seller has to deliver after a purchase
    /// @param confirmWindow seconds a buyer has to confirm or dispute after delivery
    /// @param arbitrationWindow seconds the arbiter has to rule after a dispute
    event WindowsSet(uint32 deliveryWindow, uint32 confirmWindow, uint32 arbitrationWindow);
    /// @notice Emitted when new settlement terms are recorded; orders bought from now on keep them.
    /// @param termsId the id of the recorded terms (see `terms`)
    event TermsRecorded(uint256 indexed termsId);

    /// @notice Emitted once, when the owner names the offers contract.
    /// @param offers the offers contract
    event OffersSet(address offers);
    /// @notice Emitted when an offer's budget grows.
    /// @param offerId the offer
    /// @param from who paid
    /// @param token the budget's token (address(0) = ETH)
    /// @param amount what was added
    event OfferFunded(uint256 indexed offerId, address indexed from, address token, uint256 amount);
    /// @notice Emitted when unspent budget leaves an offer (its cancellation).
    /// @param offerId the offer
    /// @param to who gets it (the recycler)
    /// @param amount the amount
    event OfferRefunded(uint256 indexed offerId, address indexed to, uint256 amount);
    /// @notice Emitted for each card sold into an offer, just before its `Purchased` (buyer: the recycler), as `Listed`
    /// comes before a listing's `Purchased`. An issuer-backed card settles in the same transaction and, like an instant
    /// purchase, has no stored trade: this event and `Purchased` are its record. A coded card opens an order
    /// (`trade(tradeId)`) like a coded purchase.
    /// @param tradeId the trade the card became
    /// @param offerId the offer that bought it
    /// @param seller the holder that sold it
    /// @param tokenId the voucher
    /// @param price what the offer paid for it
    event SoldToOffer(
        uint256 indexed tradeId,
        uint256 indexed offerId,
        address indexed seller,
        uint256 tokenId,
        uint256 price
    );

    /// @notice Lists a voucher the caller owns for `price` in `payToken` (address(0) = ETH) and takes it into custody.
    /// Needs the exchange approved for the voucher. Stopped by pause.
    /// @return tradeId the new trade
    function list(uint256 tokenId, address payToken, uint256 price) external returns (uint256 tradeId);

    /// @notice `list` for up to `MAX_BATCH` vouchers in one payment token; ids are consecutive from the returned one.
    function listBatch(
        uint256[] calldata tokenIds,
        address payToken,
        uint256[] calldata prices
    ) external returns (uint256 firstTradeId);

    /// @notice Withdraws an active listing and returns the voucher. Seller only; works while paused.
    function cancelListing(uint256 tradeId) external;

    /// @notice Changes an active listing's price. Seller only. Stopped by pause.
    function updatePrice(uint256 tradeId, uint256 newPrice) external;

    /// @notice Buys a listing, paying its price into escrow (ETH as msg.value, or a token pulled from the caller).
    /// An issuer-backed voucher settles at once; a coded one waits for the seller's delivery to `buyerKey`, and can
    /// only be bought while its delivery and confirm windows both end before it expires.
    /// @param maxPrice reverts if the price is above it, so a price raised in front of the buy cannot hit the buyer.
    /// @param referrer the distributor whose link brought the buyer, or zero; non-distributors earn nothing.
    /// @param buyerKey the buyer's per-order X25519 public key (ignored for issuer-backed vouchers).
    function buy(uint256 tradeId, uint256 maxPrice, address referrer, bytes32 buyerKey) external payable;

    /// @notice Posts the code and salt sealed to the buyer's key. Seller only, inside the delivery window, once.
    function deliverCode(uint256 tradeId, bytes calldata ciphertext) external;

    /// @notice Accepts a delivered code and settles under the terms of the purchase. Buyer only.
    function confirm(uint256 tradeId) external;

    /// @notice Settles a delivered order whose confirm window passed without a dispute. Anyone.
    function finalize(uint256 tradeId) external;

    /// @notice Refunds an order whose code was not delivered within the delivery window. Anyone (the refund goes to
    /// the buyer, the voucher to the seller), so the escrow never depends on one party showing up.
    function cancelUndelivered(uint256 tradeId) external;

    /// @notice Disputes a delivery inside the confirm window. Buyer only. The buyer pays the bond (`disputeBond`, in
    /// the order's token: ETH as msg.value) and gives the order's X25519 secret key sealed to `arbiterKey`, so the
    /// arbiter alone can decrypt the delivery and check it against the voucher's commitments.
    function dispute(uint256 tradeId, bytes calldata sealedEvidence) external payable;

    /// @notice Rules on a disputed order inside the arbitration window. Refund: the buyer gets the price and its bond
    /// back, no fee, the voucher returns to the seller marked disclosed. Release: settle as on confirm, and the bond
    /// goes to the seller. Arbiter only.
    function resolve(uint256 tradeId, bool refundBuyer) external;

    /// @notice Closes a dispute the arbiter left past the arbitration window. Anyone. The order settles as released and
    /// the bond goes to the seller: a buyer holding the code gains nothing by disputing falsely and waiting the
    /// arbiter out (see docs/security.md).
    function expireDispute(uint256 tradeId) external;

    /// @notice Joins the distributor network under `upline` (a distributor, or zero for a root). Once per account.
    function joinDistributors(address upline) external;

    /// @notice Withdraws the caller's whole credit in `token` (address(0) = ETH).
    function claim(address token) external;

    /// @notice Sets the protocol fee for future orders; reverts outside [MIN_FEE_BPS, MAX_FEE_BPS]. Owner only.
    function setProtocolFee(uint16 feeBps) external;

    /// @notice Sets the fee shares of referral levels 1..3 (bps of the fee, sum ≤ `MAX_LEVEL_SHARES_BPS`) for future
    /// orders. Owner only.
    function setLevelShares(uint16[3] calldata shares) external;

    /// @notice Sets the account credited the fee remainder of future orders. Owner only.
    function setTreasury(address treasury) external;

    /// @notice Sets the account that rules on disputes; it must then publish its key. Owner only.
    function setArbiter(address arbiter) external;

    /// @notice Publishes the X25519 public key buyers seal dispute evidence to. Arbiter only.
    function setArbiterKey(bytes32 key) external;

    /// @notice Sets the dispute bond of future orders, in bps of the price, within [MIN_DISPUTE_BOND_BPS,
    /// MAX_DISPUTE_BOND_BPS]. Owner only.
    function setDisputeBond(uint16 bondBps) external;

    /// @notice Sets a payment token's minimum price (base units): for an ERC-20, non-zero allows it and zero
    /// disallows it; ETH (address(0)) is always accepted and only its minimum changes. Open listings keep their price.
    /// Owner only.
    function setPayToken(address token, uint96 minPrice) external;

    /// @notice Sets the delivery, confirm and arbitration windows for future orders. Owner only.
    function setWindows(uint32 deliveryWindow, uint32 confirmWindow, uint32 arbitrationWindow) external;

    /// @notice Stops new listings, price changes and purchases; never exits. Owner only.
    function pause() external;

    /// @notice Lifts a pause. Owner only.
    function unpause() external;

    /// @notice Names the offers contract (`IVoucherOffers`) allowed to fund, refund and sell into offers. Once; owner
    /// only.
    function setOffers(address offers_) external;

    /// @notice Escrows `amount` more for `offerId`: ETH as msg.value, or an accepted ERC-20 pulled from `from`
    /// (refusing fee-on-transfer tokens). Offers contract only; stopped by pause.
    function fundOffer(uint256 offerId, address token, address from, uint256 amount) external payable;

    /// @notice Pays `amount` of `offerId`'s budget to `to`, pushed with the credit fallback. Offers contract only.
    function refundOffer(uint256 offerId, address to, uint256 amount) external;

    /// @notice Sells `cards` from `sale.seller` to `sale.recycler` out of the offer's budget, one trade id per card
    /// (consecutive from the returned one). An issuer-backed card settles at once as an instant purchase does (fee,
    /// distributor split, credits, counters) and goes to the recycler; a coded card opens an order like a coded
    /// purchase with the recycler as buyer and `sale.deliveryKey` as its key, the voucher in custody. The seller's
    /// proceeds of the settled cards are pushed once. Reverts if the cards cost more than the budget. Offers contract
    /// only; stopped by pause. The exchange trusts the offers contract for prices and voucher facts, never for money
    /// beyond the offer's budget.
    function sellToOffer(OfferSale calldata sale, OfferCard[] calldata cards) external returns (uint256 firstTradeId);

    /// @notice The offers contract (zero until set).
    function offers() external view returns (address);

    /// @notice An offer's escrowed budget and its token.
    function offerFunds(uint256 offerId) external view returns (address token, uint256 amount);

    /// @notice Whether new listings, price changes and purchases are stopped.
    function paused() external view returns (bool);

    /// @notice The protocol fee new orders pay, in bps of the price.
    function protocolFeeBps() external view returns (uint16);

    /// @notice The fee shares of referral levels 1..3 new orders get, in bps of the fee.
    function levelShares() external view returns (uint16[3] memory);

    /// @notice The account credited the fee remainder of new orders.
    function treasury() external view returns (address);

    /// @notice The account that rules on disputes.
    function arbiter() external view returns (address);

    /// @notice The X25519 public key dispute evidence is sealed to (zero until the arbiter publishes one).
    function arbiterKey() external view returns (bytes32);

    /// @notice The dispute bond new orders get, in bps of the price.
    function disputeBondBps() external view returns (uint16);

    /// @notice The bond disputing `tradeId` costs, in its payment token (under the terms of its purchase).
    function disputeBond(uint256 tradeId) external view returns (uint256);

    /// @notice The delivery, confirm and arbitration windows new orders get, in seconds.
    function windows() external view returns (uint32 deliveryWindow, uint32 confirmWindow, uint32 arbitrationWindow);

    /// @notice The id of the terms new orders get.
    function currentTermsId() external view returns (uint256);

    /// @notice Recorded settlement terms by id (see `Trade.termsId`).
    function terms(uint256 termsId) external view returns (Terms memory);

    /// @notice A payment token's minimum price in base units; zero for a token that is not accepted.
    function minPrice(address token) external view returns (uint256);

    /// @notice A listing or order by id.
    function trade(uint256 tradeId) external view returns (Trade memory);

    /// @notice The listings that can be bought now among ids [fromId, fromId + count), joined with their vouchers, in
    /// one call. Expired vouchers, and coded ones that would expire before their order could settle, are left out.
    function activeListings(uint256 fromId, uint256 count) external view returns (ListingView[] memory page);

    /// @notice The exact split buying `tradeId` with `referrer` would produce now, for the caller as buyer: a purchase
    /// in the next block settles with exactly these credits, whatever the owner changes after it.
    function quote(uint256 tradeId, address referrer) external view returns (Split memory);

    /// @notice The split a settlement at `price` and `feeBps` with `referrer` would make for `buyer` and `seller` under
    /// the current terms and distributor tree; exact for any price below 2^256 / 10^4.
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

    /// @notice Whether an account is a distributor, its upline, and when it joined (unix seconds, zero if never).
    function distributor(address account_) external view returns (bool joined, address upline, uint256 joinedAt);

    /// @notice The allow-listed ERC-20 payment tokens (ETH, address(0), is always accepted).
    function payTokens() external view returns (address[] memory);

    /// @notice The number of trade ids handed out; ids run from 1 to this number.
    function tradeCount() external view returns (uint256);
}
