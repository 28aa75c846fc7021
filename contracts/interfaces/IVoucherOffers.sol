// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IVoucherOffers
/// @notice Recyclers' standing offers: a recycler posts an offer for one brand, paid in one token, with a published rate
/// schedule; holders sell one card or a batch into it at once, at prices this contract computes from the schedule.
///
/// The seam with the exchange: this contract is the book of offers (schedules, caps, expiries, pricing) and holds no
/// money. Every offer's budget is escrowed in the exchange (`IVoucherExchange.fundOffer`), which is the only contract
/// that moves money or vouchers: a sale asks the exchange to sell the cards to the recycler out of the offer's budget
/// (`IVoucherExchange.sellToOffer`). Issuer-backed cards settle at once; coded cards open the same escrowed orders as
/// purchases, with the recycler as buyer and the offer's delivery key. Fees and distributor splits are the exchange's,
/// exactly as for purchases.
///
/// Pricing of one card, face value `f` (minor units of the brand's currency) and expiry `e`, in a sale of `n` cards:
///   rateBps = tier rate of f  + (batchMinCount != 0 && n >= batchMinCount ? batchBonusBps : 0)
///                             + (e - now <= nearExpiryDays days ? nearExpiryBps : 0),   capped to [1, 10_000]
///   price   = f * unitPrice * rateBps / 10_000
/// where `unitPrice` is what one minor unit of face value is worth at 100% in the offer's payment token's base units
/// (1 fen in kCNY with 6 decimals = 10_000). The tier of f is the first whose `maxFaceValue` is ≥ f; a face value above
/// the last tier is not bought.
interface IVoucherOffers {
    /// @notice One tier of a rate schedule: cards up to `maxFaceValue` (and above the previous tier's) at `rateBps`.
    struct Tier {
        uint48 maxFaceValue;
        uint16 rateBps;
    }

    /// @notice A published rate schedule.
    /// @dev `tiers`: 1 to `MAX_TIERS`, strictly ascending `maxFaceValue`, each rate in [`MIN_RATE_BPS`, 10_000].
    /// `batchMinCount` 0 means no batch bonus; `batchBonusBps` ≤ `MAX_BONUS_BPS`. `nearExpiryDays` 0 means no
    /// adjustment; `nearExpiryBps` in [-`MAX_BONUS_BPS`, `MAX_BONUS_BPS`] (negative: near-expiry cards pay less).
    struct Schedule {
        Tier[] tiers;
        uint16 batchMinCount;
        uint16 batchBonusBps;
        uint16 nearExpiryDays;
        int16 nearExpiryBps;
    }

    /// @notice What `post` takes besides the budget.
    /// @param brandId the brand bought
    /// @param payToken address(0) for ETH, or a token the exchange accepts
    /// @param unitPrice base units of `payToken` one minor unit of face value is worth at 100%
    /// @param maxCards the most cards the offer buys in total
    /// @param expiresAt unix seconds after which nothing more is bought
    /// @param attestedOnly buy only cards the brand's issuer attested (issuer-backed cards always qualify)
    /// @param deliveryKey the recycler's X25519 public key coded cards are delivered to
    struct OfferParams {
        uint32 brandId;
        address payToken;
        uint64 unitPrice;
        uint32 maxCards;
        uint32 expiresAt;
        bool attestedOnly;
        bytes32 deliveryKey;
    }

    /// @notice An offer as views return it, with its schedule and the unspent budget held by the exchange.
    struct OfferView {
        uint256 offerId;
        address recycler;
        uint32 brandId;
        address payToken;
        uint64 unitPrice;
        uint32 cardsLeft;
        uint32 expiresAt;
        bool attestedOnly;
        bool open;
        bytes32 deliveryKey;
        uint256 budget;
        Schedule schedule;
    }

    /// @notice The exact outcome of selling `tokenIds` into an offer now, card by card and in total.
    /// `total == sellerProceeds + fee`; `fee` is the sum of each card's fee, rounded per card as the exchange does.
    struct SaleQuote {
        uint256 total;
        uint256 fee;
        uint256 sellerProceeds;
        uint256[] prices;
        uint16[] rateBps;
    }

    /// @notice Thrown for an offer id that was never posted.
    /// @param offerId the id
    error UnknownOffer(uint256 offerId);
    /// @notice Thrown when acting on a cancelled offer.
    /// @param offerId the offer
    error OfferClosed(uint256 offerId);
    /// @notice Thrown when selling into, topping up or rescheduling an offer past its expiry.
    /// @param offerId the offer
    /// @param expiresAt its expiry (unix seconds)
    error OfferExpired(uint256 offerId, uint256 expiresAt);
    /// @notice Thrown when someone other than the recycler acts on its offer (anyone may cancel it once expired).
    /// @param caller the caller
    /// @param offerId the offer
    error NotRecycler(address caller, uint256 offerId);
    /// @notice Thrown when the recycler tries to sell into its own offer.
    /// @param offerId the offer
    error SellerIsRecycler(uint256 offerId);
    /// @notice Thrown when a sale or quote has no card or more than `MAX_BATCH`.
    /// @param size the number of cards
    error InvalidBatchSize(uint256 size);
    /// @notice Thrown when the token ids of a sale are not strictly ascending (so no card is sold twice in one sale).
    /// @param index the first id out of order
    error CardsNotAscending(uint256 index);
    /// @notice Thrown when the seller does not own a card it sells.
    /// @param caller the caller
    /// @param tokenId the voucher
    error NotVoucherOwner(address caller, uint256 tokenId);
    /// @notice Thrown when a card is of another brand than the offer's.
    /// @param tokenId the voucher
    /// @param brandId its brand
    /// @param offerBrandId the offer's brand
    error WrongBrand(uint256 tokenId, uint256 brandId, uint256 offerBrandId);
    /// @notice Thrown when a card's face value is above the offer's last tier.
    /// @param tokenId the voucher
    /// @param faceValue its face value
    error FaceValueOutOfSchedule(uint256 tokenId, uint256 faceValue);
    /// @notice Thrown when an attested-only offer is sold a coded card its issuer did not attest.
    /// @param tokenId the voucher
    error NotAttested(uint256 tokenId);
    /// @notice Thrown when selling a coded card whose code was disclosed in a dispute.
    /// @param tokenId the voucher
    error VoucherDisclosed(uint256 tokenId);
    /// @notice Thrown when selling a card past its expiry.
    /// @param tokenId the voucher
    /// @param expiresAt its expiry (unix seconds)
    error VoucherExpired(uint256 tokenId, uint256 expiresAt);
    /// @notice Thrown when a sale has more cards than the offer still buys.
    /// @param offerId the offer
    /// @param cardsLeft how many it still buys
    /// @param count how many were offered
    error CardsExhausted(uint256 offerId, uint256 cardsLeft, uint256 count);
    /// @notice Thrown when a sale's total is below the minimum the seller accepts (the rates changed in front of it).
    /// @param total what the offer would pay
    /// @param minTotal the seller's minimum
    error TotalBelowMinimum(uint256 total, uint256 minTotal);
    /// @notice Thrown when a schedule's tiers are not 1 to `MAX_TIERS` with strictly ascending non-zero face values
    /// and rates in [`MIN_RATE_BPS`, 10_000].
    /// @param index the first bad tier (the tier count when the count is wrong)
    error InvalidTiers(uint256 index);
    /// @notice Thrown when a batch bonus is above `MAX_BONUS_BPS`, set without a minimum count, or needs more cards
    /// than a sale can hold (`MAX_BATCH`).
    /// @param minCount the minimum count
    /// @param bonusBps the bonus
    error InvalidBatchBonus(uint256 minCount, uint256 bonusBps);
    /// @notice Thrown when a near-expiry adjustment is outside ±`MAX_BONUS_BPS` or set without a number of days.
    /// @param nearExpiryDays the days
    /// @param nearExpiryBps the adjustment
    error InvalidNearExpiry(uint256 nearExpiryDays, int256 nearExpiryBps);
    /// @notice Thrown when posting with a zero unit price, zero cards, an expiry not in the future or no delivery key.
    error InvalidOfferParams();
    /// @notice Thrown when posting for a brand that was never registered.
    /// @param brandId the brand
    error UnknownBrand(uint256 brandId);
    /// @notice Thrown when a budget is below one card at the payment token's minimum price (zero included), or a top-up
    /// is zero.
    /// @param amount the budget or top-up
    /// @param minimum the least accepted
    error BudgetTooLow(uint256 amount, uint256 minimum);

    /// @notice Emitted when a recycler posts an offer.
    /// @param offerId the new offer
    /// @param recycler its recycler
    /// @param brandId the brand it buys
    /// @param params everything it was posted with besides the schedule and budget
    /// @param schedule its rate schedule
    /// @param budget the budget escrowed in the exchange
    event OfferPosted(
        uint256 indexed offerId,
        address indexed recycler,
        uint32 indexed brandId,
        OfferParams params,
        Schedule schedule,
        uint256 budget
    );
    /// @notice Emitted when a recycler adds budget to its offer.
    /// @param offerId the offer
    /// @param amount what was added
    event OfferToppedUp(uint256 indexed offerId, uint256 amount);
    /// @notice Emitted when a recycler replaces its offer's schedule.
    /// @param offerId the offer
    /// @param schedule the new schedule
    event ScheduleSet(uint256 indexed offerId, Schedule schedule);
    /// @notice Emitted when an offer closes; its unspent budget went back to the recycler.
    /// @param offerId the offer
    /// @param by who cancelled it (the recycler, or anyone once it expired)
    /// @param refunded the unspent budget returned
    event OfferCancelled(uint256 indexed offerId, address indexed by, uint256 refunded);
    /// @notice Emitted when a holder sells cards into an offer (the exchange emits `SoldToOffer` and `Purchased` per
    /// card).
    /// @param offerId the offer
    /// @param seller the holder
    /// @param count how many cards
    /// @param total what the offer paid
    /// @param firstTradeId the trade id of the first card; the others follow consecutively
    event OfferSold(
        uint256 indexed offerId,
        address indexed seller,
        uint256 count,
        uint256 total,
        uint256 firstTradeId
    );

    /// @notice Posts an offer with its budget escrowed in the exchange: ETH as `msg.value`, or `budget` of the ERC-20
    /// pulled from the caller by the exchange (approve the exchange first).
    function post(
        OfferParams calldata params,
        Schedule calldata schedule,
        uint256 budget
    ) external payable returns (uint256 offerId);

    /// @notice Adds budget to an open offer (recycler only), like `post`.
    function topUp(uint256 offerId, uint256 amount) external payable;

    /// @notice Replaces the schedule of an open offer (recycler only). Sales already made keep their prices; a sale in
    /// flight is protected by its `minTotal`.
    function setSchedule(uint256 offerId, Schedule calldata schedule) external;

    /// @notice Closes an offer and returns exactly its unspent budget to the recycler. The recycler any time; anyone
    /// once the offer has expired (the budget still goes to the recycler).
    function cancel(uint256 offerId) external;

    /// @notice Sells the caller's vouchers into an offer in one transaction. Reverts unless every card matches the
    /// offer (brand, face value in the schedule, attestation if required, not disclosed, able to settle before it
    /// expires), the offer is open, unexpired, has cards left and budget for the total, and the total is at least
    /// `minTotal`. `tokenIds` must be strictly ascending (1 to `MAX_BATCH` of them); their trade ids follow that order.
    /// The caller must have approved the exchange for its vouchers.
    /// @return total what the recycler pays (before the fee)
    function sell(
        uint256 offerId,
        uint256[] calldata tokenIds,
        uint256 minTotal,
        address referrer
    ) external returns (uint256 total);

    /// @notice The exact quote of selling `tokenIds` into an offer now; reverts with the error the sale would, except
    /// that who sells is not checked (ownership, seller ≠ recycler), so anyone can quote any cards.
    function quote(uint256 offerId, uint256[] calldata tokenIds) external view returns (SaleQuote memory);

    /// @notice The open offers of a brand that buy a card of `faceValue` (0: any), best first: highest rate for that
    /// face value (the first tier's for 0), then larger unit price, then older. Scans a bounded window of the brand's
    /// offers starting at `offset`.
    function openOffers(
        uint32 brandId,
        uint128 faceValue,
        uint256 offset,
        uint256 count
    ) external view returns (OfferView[] memory);

    /// @notice The open offer paying the most for `tokenId` sold alone now (by rate, then price); 0 and 0 if none.
    function bestOffer(uint256 tokenId) external view returns (uint256 offerId, uint256 price);

    /// @notice One offer.
    function offer(uint256 offerId) external view returns (OfferView memory);

    /// @notice How many offers were ever posted (ids run from 1).
    function offerCount() external view returns (uint256);

    /// @notice How many offers of a brand are not cancelled: the length `openOffers` pages through.
    function brandOfferCount(uint32 brandId) external view returns (uint256);
}
