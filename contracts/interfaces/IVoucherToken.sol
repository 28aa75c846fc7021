// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";

/// @title IVoucherToken
/// @notice Vouchers (gift cards, store cards, coupons, top-up cards) as unique ERC-721 tokens ("Kaquan Voucher", KQV).
/// A coded voucher commits to its secret PIN/code with `codeHash = keccak256(abi.encodePacked(code, salt))` and,
/// separately, to the card number printed on the card with the unsalted fingerprint
/// `cardHash = keccak256(abi.encodePacked("kaquan.card", brandId, cardNumber))`: a brand never holds two vouchers with
/// the same card number, for good (a spent card number stays spent). An issuer-backed voucher has no code: the token
/// itself is the card and the brand's issuer honours it at redemption. Face values must be one of the brand's
/// denominations; a brand's issuer can attest a self-declared card it checked in its own records.
interface IVoucherToken is IERC721 {
    /// @notice A curated brand. `currency` is an ISO-4217 code; face values are in its minor units (cents, fen).
    struct Brand {
        address issuer;
        bool active;
        string name;
        string category;
        string currency;
    }

    /// @notice What a voucher is worth, until when, and what is known of it. Slot 0 packs brandId, faceValue, expiresAt
    /// and the three flags (32 + 128 + 64 + 3 * 8 = 248 bits). `attested`: the brand's issuer checked the card in its
    /// records. `disclosed`: its code was disclosed in a dispute, so it can no longer be sold as a coded card.
    struct Voucher {
        uint32 brandId;
        uint128 faceValue;
        uint64 expiresAt;
        bool issuerBacked;
        bool attested;
        bool disclosed;
        bytes32 codeHash;
        bytes32 cardHash;
    }

    /// @notice A voucher's holder and the facts of its first slot, as one cheap call returns them (see `saleFacts`).
    struct SaleFacts {
        address owner;
        uint32 brandId;
        uint128 faceValue;
        uint64 expiresAt;
        bool issuerBacked;
        bool attested;
        bool disclosed;
    }

    /// @notice One card of a `mintBatch`.
    struct MintRequest {
        uint32 brandId;
        uint128 faceValue;
        uint64 expiresAt;
        bytes32 cardHash;
        bytes32 codeHash;
        bytes sealedCode;
    }

    /// @notice Thrown when a brand id was never registered.
    /// @param brandId the unknown id
    error UnknownBrand(uint256 brandId);
    /// @notice Thrown when minting or issuing under a deactivated brand.
    /// @param brandId the deactivated brand
    error BrandInactive(uint256 brandId);
    /// @notice Thrown when a brand's name, category or currency is empty, too long, or holds a character that would
    /// break the on-chain JSON or SVG (`"`, `\`, `<`, `>`, `&` or a control character).
    /// @param text the refused text
    error InvalidBrandText(string text);
    /// @notice Thrown when a brand's issuer is the zero address.
    error InvalidIssuer();
    /// @notice Thrown when someone other than the brand's issuer calls `issue`.
    /// @param caller the caller
    /// @param brandId the brand whose issuer it is not
    error NotIssuer(address caller, uint256 brandId);
    /// @notice Thrown when a face value is zero.
    error InvalidFaceValue();
    /// @notice Thrown when a face value is not one of the brand's denominations (or above its maximum).
    /// @param brandId the brand
    /// @param faceValue the refused face value
    error FaceValueNotAllowed(uint256 brandId, uint128 faceValue);
    /// @notice Thrown when denominations are not a strictly increasing list of at most `MAX_DENOMINATIONS` non-zero
    /// values, or a maximum, exactly one of the two.
    error InvalidDenominations();
    /// @notice Thrown when a self-declared voucher has no card-number fingerprint.
    error MissingCardHash();
    /// @notice Thrown when a brand already holds (or once held) a voucher with this card number.
    /// @param brandId the brand
    /// @param cardHash the card-number fingerprint
    /// @param tokenId the voucher that has it
    error DuplicateCard(uint256 brandId, bytes32 cardHash, uint256 tokenId);
    /// @notice Thrown when attesting at a face value other than the voucher's.
    /// @param tokenId the voucher
    /// @param faceValue the face value the issuer attested
    error FaceValueMismatch(uint256 tokenId, uint128 faceValue);
    /// @notice Thrown when attesting an attested voucher, or revoking an attestation that does not exist.
    /// @param tokenId the voucher
    /// @param attested its current state
    error AttestationUnchanged(uint256 tokenId, bool attested);
    /// @notice Thrown when attesting a voucher whose code was disclosed in a dispute.
    /// @param tokenId the voucher
    error CodeWasDisclosed(uint256 tokenId);
    /// @notice Thrown when someone other than the exchange marks a voucher disclosed.
    /// @param caller the caller
    error NotExchange(address caller);
    /// @notice Thrown when setting the exchange a second time, or to the zero address.
    /// @param exchange the exchange already set (zero when the new one was zero)
    error InvalidExchange(address exchange);
    /// @notice Thrown when a voucher would be created already expired.
    /// @param expiresAt the refused expiry (unix seconds)
    error InvalidExpiry(uint64 expiresAt);
    /// @notice Thrown when a self-declared voucher has no code commitment.
    error MissingCodeHash();
    /// @notice Thrown when a batch is empty or larger than `MAX_BATCH`.
    /// @param size the number of cards
    error InvalidBatchSize(uint256 size);
    /// @notice Thrown when the caller does not own the voucher.
    /// @param caller the caller
    /// @param tokenId the voucher
    error NotVoucherOwner(address caller, uint256 tokenId);
    /// @notice Thrown when redeeming a voucher past its expiry.
    /// @param tokenId the voucher
    /// @param expiresAt its expiry (unix seconds)
    error VoucherExpired(uint256 tokenId, uint64 expiresAt);
    /// @notice Thrown when re-sealing a code for an issuer-backed voucher, which has none.
    /// @param tokenId the issuer-backed voucher
    error NoCode(uint256 tokenId);

    /// @notice Emitted when the owner adds a brand.
    /// @param brandId the new brand
    /// @param name its display name
    /// @param category e.g. "e-commerce card"
    /// @param currency ISO-4217 code of its face values
    /// @param issuer the address that issues and honours its vouchers
    event BrandRegistered(uint256 indexed brandId, string name, string category, string currency, address issuer);
    /// @notice Emitted when the owner sets a brand's denominations.
    /// @param brandId the brand
    /// @param faceValues the face values its cards come in (empty when a maximum applies)
    /// @param maxFaceValue the largest face value accepted (zero when the list applies)
    event DenominationsSet(uint256 indexed brandId, uint128[] faceValues, uint128 maxFaceValue);
    /// @notice Emitted when a brand's issuer attests a self-declared card it checked in its own records.
    /// @param tokenId the voucher
    /// @param issuer the brand's issuer
    /// @param faceValue the value the issuer confirmed
    event VoucherAttested(uint256 indexed tokenId, address indexed issuer, uint128 faceValue);
    /// @notice Emitted when a brand's issuer withdraws its attestation.
    /// @param tokenId the voucher
    /// @param issuer the brand's issuer
    event AttestationRevoked(uint256 indexed tokenId, address indexed issuer);
    /// @notice Emitted when the exchange marks a voucher whose code was disclosed in a dispute.
    /// @param tokenId the voucher
    event CodeDisclosed(uint256 indexed tokenId);
    /// @notice Emitted once, when the owner names the exchange allowed to mark disclosed vouchers.
    /// @param exchange the exchange
    event ExchangeSet(address exchange);
    /// @notice Emitted when the owner activates or deactivates a brand.
    /// @param brandId the brand
    /// @param active whether it accepts new vouchers
    event BrandStatusChanged(uint256 indexed brandId, bool active);
    /// @notice Emitted when a holder tokenizes a coded card (followed by `CodeSealed` with the holder's sealed code).
    /// @param tokenId the new voucher
    /// @param to the holder who minted it (always the caller)
    /// @param brandId its brand
    /// @param faceValue in minor units of the brand's currency
    /// @param expiresAt unix seconds
    /// @param cardHash keccak256(abi.encodePacked("kaquan.card", brandId, cardNumber))
    /// @param codeHash keccak256(abi.encodePacked(code, salt))
    event VoucherMinted(
        uint256 indexed tokenId,
        address indexed to,
        uint256 indexed brandId,
        uint128 faceValue,
        uint64 expiresAt,
        bytes32 cardHash,
        bytes32 codeHash
    );
    /// @notice Emitted when a brand's issuer creates an issuer-backed voucher.
    /// @param tokenId the new voucher
    /// @param to its first holder
    /// @param brandId its brand
    /// @param faceValue in minor units of the brand's currency
    /// @param expiresAt unix seconds
    event VoucherIssued(
        uint256 indexed tokenId,
        address indexed to,
        uint256 indexed brandId,
        uint128 faceValue,
        uint64 expiresAt
    );
    /// @notice Emitted with the code and salt sealed to the holder's own key: at mint (`owner` is the recipient) and
    /// whenever the owner re-seals it (after a purchase, or for a new device key). The latest one is current.
    /// @param tokenId the voucher
    /// @param owner the holder it is sealed to
    /// @param sealedCode code and salt encrypted to the holder's vault key
    event CodeSealed(uint256 indexed tokenId, address indexed owner, bytes sealedCode);
    /// @notice Emitted when the owner spends a voucher; the token is burned.
    /// @param tokenId the burned voucher
    /// @param owner who spent it
    /// @param brandId its brand
    /// @param faceValue its face value
    event Redeemed(uint256 indexed tokenId, address indexed owner, uint256 indexed brandId, uint128 faceValue);

    /// @notice Adds a curated brand. Owner only.
    function registerBrand(
        string calldata name,
        string calldata category,
        string calldata currency,
        address issuer
    ) external returns (uint256 brandId);

    /// @notice Activates or deactivates a brand; an inactive brand accepts no new vouchers. Owner only.
    function setBrandActive(uint256 brandId, bool active) external;

    /// @notice Sets the face values a brand's cards come in (a strictly increasing list of at most
    /// `MAX_DENOMINATIONS`) or, with an empty list, the largest face value it accepts. A brand without either accepts
    /// no voucher. Owner only.
    function setDenominations(uint256 brandId, uint128[] calldata faceValues, uint128 maxFaceValue) external;

    /// @notice Names the exchange allowed to mark disclosed vouchers. Once; owner only.
    function setExchange(address exchange) external;

    /// @notice Attests a self-declared card the brand's issuer checked in its own records, at its face value. Only the
    /// brand's issuer; not for a card whose code was disclosed.
    function attest(uint256 tokenId, uint128 faceValue) external;

    /// @notice Withdraws an attestation. Only the brand's issuer.
    function revokeAttestation(uint256 tokenId) external;

    /// @notice Marks a voucher whose code was disclosed in a dispute: it can no longer be sold as a coded card. Only
    /// the exchange.
    function markDisclosed(uint256 tokenId) external;

    /// @notice Tokenizes a card the caller holds ("self-declared") into the caller's own wallet.
    /// @param cardHash the card number's fingerprint, keccak256(abi.encodePacked("kaquan.card", brandId, cardNumber));
    /// a brand refuses a second voucher with the same card number.
    /// @param codeHash keccak256(abi.encodePacked(code, salt)), the commitment a buyer checks the delivery against.
    /// @param sealedCode card number, code and salt encrypted to the holder's own vault key, emitted for recovery.
    function mint(
        uint256 brandId,
        uint128 faceValue,
        uint64 expiresAt,
        bytes32 cardHash,
        bytes32 codeHash,
        bytes calldata sealedCode
    ) external returns (uint256 tokenId);

    /// @notice `mint` for up to `MAX_BATCH` cards in one transaction; ids are consecutive from the returned one.
    function mintBatch(MintRequest[] calldata requests) external returns (uint256 firstTokenId);

    /// @notice Creates an issuer-backed voucher (no code). Only the brand's issuer.
    function issue(address to, uint256 brandId, uint128 faceValue, uint64 expiresAt) external returns (uint256 tokenId);

    /// @notice Spends a voucher: burns it so it can never trade again. Owner only, before expiry.
    function redeem(uint256 tokenId) external;

    /// @notice Emits the voucher's code re-sealed to the owner's own key. Owner only, coded vouchers only.
    function sealCode(uint256 tokenId, bytes calldata sealedCode) external;

    /// @notice The voucher's brand, face value, expiry, kind and code commitment. Reverts for a nonexistent token.
    function voucher(uint256 tokenId) external view returns (Voucher memory);

    /// @notice A voucher's owner, brand, face value, expiry, kind, attestation and disclosure mark: what a sale into a
    /// standing offer checks, read from two slots (the owner and the voucher's first slot) in one call. Reverts for a
    /// nonexistent token.
    function saleFacts(uint256 tokenId) external view returns (SaleFacts memory);

    /// @notice A brand's record. Reverts with `UnknownBrand` for an unregistered id.
    function brand(uint256 brandId) external view returns (Brand memory);

    /// @notice A brand's denominations: its face values, or (with an empty list) its maximum face value.
    function denominations(uint256 brandId) external view returns (uint128[] memory faceValues, uint128 maxFaceValue);

    /// @notice The voucher that registered a card number's fingerprint under a brand (zero if none ever did).
    function cardToken(uint256 brandId, bytes32 cardHash) external view returns (uint256 tokenId);

    /// @notice The exchange allowed to mark disclosed vouchers.
    function exchange() external view returns (address);

    /// @notice Number of registered brands; ids run from 1 to this number.
    function brandCount() external view returns (uint256);

    /// @notice Number of vouchers ever created; token ids run from 1 to this number (redeemed ones are burned).
    function totalMinted() external view returns (uint256);
}
