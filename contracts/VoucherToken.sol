// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ERC721Utils} from "@openzeppelin/contracts/token/ERC721/utils/ERC721Utils.sol";
import {IVoucherToken} from "./interfaces/IVoucherToken.sol";
import {VoucherArt} from "./libraries/VoucherArt.sol";

/// @title VoucherToken
/// @notice "Kaquan Voucher" (KQV): gift cards, store cards, coupons and top-up cards as ERC-721 tokens, with curated
/// brands, code commitments and a fully on-chain tokenURI (JSON + SVG card, no IPFS, no server).
contract VoucherToken is ERC721, Ownable2Step, IVoucherToken {
    /// @notice Most cards one `mintBatch` may create (bounds the loop).
    uint256 public constant MAX_BATCH = 50;
    /// @notice Most face values one brand can list (bounds the loops that set and clear them).
    uint256 public constant MAX_DENOMINATIONS = 32;
    uint256 private constant MAX_BRAND_TEXT = 32;

    uint256 private _brandCount;
    uint256 private _totalMinted;
    address private _exchange;
    mapping(uint256 brandId => Brand) private _brands;
    mapping(uint256 tokenId => Voucher) private _vouchers;
    mapping(uint256 brandId => uint128[] faceValues) private _faceValues;
    mapping(uint256 brandId => mapping(uint128 faceValue => bool)) private _isFaceValue;
    mapping(uint256 brandId => uint128 maxFaceValue) private _maxFaceValue;
    /// @dev Never cleared: a redeemed or burned card's number stays spent.
    mapping(uint256 brandId => mapping(bytes32 cardHash => uint256 tokenId)) private _cardTokens;

    constructor(address initialOwner) ERC721("Kaquan Voucher", "KQV") Ownable(initialOwner) {}

    // ─── Brands ──────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IVoucherToken
    function registerBrand(
        string calldata name,
        string calldata category,
        string calldata currency,
        address issuer
    ) external onlyOwner returns (uint256 brandId) {
        _checkBrandText(name);
        _checkBrandText(category);
        _checkBrandText(currency);
        if (issuer == address(0)) revert InvalidIssuer();
        brandId = ++_brandCount;
        _brands[brandId] = Brand({issuer: issuer, active: true, name: name, category: category, currency: currency});
        emit BrandRegistered(brandId, name, category, currency, issuer);
    }

    /// @inheritdoc IVoucherToken
    function setBrandActive(uint256 brandId, bool active) external onlyOwner {
        _requireBrand(brandId).active = active;
        emit BrandStatusChanged(brandId, active);
    }

    /// @inheritdoc IVoucherToken
    function setDenominations(uint256 brandId, uint128[] calldata faceValues, uint128 maxFaceValue) external onlyOwner {
        _requireBrand(brandId);
        uint256 n = faceValues.length;
        if (n > MAX_DENOMINATIONS || (n == 0) == (maxFaceValue == 0)) revert InvalidDenominations();
        uint128[] storage list = _faceValues[brandId];
        for (uint256 i = list.length; i > 0; --i) {
            delete _isFaceValue[brandId][list[i - 1]];
            list.pop();
        }
        uint128 previous;
        for (uint256 i; i < n; ++i) {
            uint128 value = faceValues[i];
            if (value <= previous) revert InvalidDenominations();
            list.push(value);
            _isFaceValue[brandId][value] = true;
            previous = value;
        }
        _maxFaceValue[brandId] = maxFaceValue;
        emit DenominationsSet(brandId, faceValues, maxFaceValue);
    }

    /// @inheritdoc IVoucherToken
    function setExchange(address exchange_) external onlyOwner {
        if (_exchange != address(0) || exchange_ == address(0)) revert InvalidExchange(_exchange);
        _exchange = exchange_;
        emit ExchangeSet(exchange_);
    }

    // ─── Vouchers ────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IVoucherToken
    function mint(
        uint256 brandId,
        uint128 faceValue,
        uint64 expiresAt,
        bytes32 cardHash,
        bytes32 codeHash,
        bytes calldata sealedCode
    ) external returns (uint256 tokenId) {
        tokenId = _mintCoded(brandId, faceValue, expiresAt, cardHash, codeHash, sealedCode);
    }

    /// @inheritdoc IVoucherToken
    function mintBatch(MintRequest[] calldata requests) external returns (uint256 firstTokenId) {
        uint256 n = requests.length;
        if (n == 0 || n > MAX_BATCH) revert InvalidBatchSize(n);
        firstTokenId = _totalMinted + 1;
        for (uint256 i; i < n; ++i) {
            MintRequest calldata r = requests[i];
            _mintCoded(r.brandId, r.faceValue, r.expiresAt, r.cardHash, r.codeHash, r.sealedCode);
        }
    }

    /// @inheritdoc IVoucherToken
    function issue(
        address to,
        uint256 brandId,
        uint128 faceValue,
        uint64 expiresAt
    ) external returns (uint256 tokenId) {
        Brand storage b = _checkNewVoucher(brandId, faceValue, expiresAt);
        if (msg.sender != b.issuer) revert NotIssuer(msg.sender, brandId);
        tokenId = ++_totalMinted;
        _vouchers[tokenId] = Voucher({
            brandId: uint32(brandId),
            faceValue: faceValue,
            expiresAt: expiresAt,
            issuerBacked: true,
            attested: false,
            disclosed: false,
            codeHash: bytes32(0),
            cardHash: bytes32(0)
        });
        _mint(to, tokenId);
        emit VoucherIssued(tokenId, to, brandId, faceValue, expiresAt);
        ERC721Utils.checkOnERC721Received(msg.sender, address(0), to, tokenId, "");
    }

    /// @inheritdoc IVoucherToken
    function redeem(uint256 tokenId) external {
        address owner = _ownerOf(tokenId);
        if (owner != msg.sender) revert NotVoucherOwner(msg.sender, tokenId);
        Voucher memory v = _vouchers[tokenId];
        if (block.timestamp >= v.expiresAt) revert VoucherExpired(tokenId, v.expiresAt);
        delete _vouchers[tokenId];
        _burn(tokenId);
        emit Redeemed(tokenId, owner, v.brandId, v.faceValue);
    }

    /// @inheritdoc IVoucherToken
    function attest(uint256 tokenId, uint128 faceValue) external {
        Voucher storage v = _requireIssuerOf(tokenId);
        if (v.issuerBacked) revert NoCode(tokenId);
        if (v.disclosed) revert CodeWasDisclosed(tokenId);
        if (v.attested) revert AttestationUnchanged(tokenId, true);
        if (faceValue != v.faceValue) revert FaceValueMismatch(tokenId, faceValue);
        v.attested = true;
        emit VoucherAttested(tokenId, msg.sender, faceValue);
    }

    /// @inheritdoc IVoucherToken
    function revokeAttestation(uint256 tokenId) external {
        Voucher storage v = _requireIssuerOf(tokenId);
        if (!v.attested) revert AttestationUnchanged(tokenId, false);
        v.attested = false;
        emit AttestationRevoked(tokenId, msg.sender);
    }

    /// @inheritdoc IVoucherToken
    function markDisclosed(uint256 tokenId) external {
        if (msg.sender != _exchange) revert NotExchange(msg.sender);
        _vouchers[tokenId].disclosed = true;
        emit CodeDisclosed(tokenId);
    }

    /// @inheritdoc IVoucherToken
    function sealCode(uint256 tokenId, bytes calldata sealedCode) external {
        if (_ownerOf(tokenId) != msg.sender) revert NotVoucherOwner(msg.sender, tokenId);
        if (_vouchers[tokenId].issuerBacked) revert NoCode(tokenId);
        emit CodeSealed(tokenId, msg.sender, sealedCode);
    }

    // ─── Views ───────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IVoucherToken
    function voucher(uint256 tokenId) external view returns (Voucher memory) {
        _requireOwned(tokenId);
        return _vouchers[tokenId];
    }

    /// @inheritdoc IVoucherToken
    function saleFacts(uint256 tokenId) external view returns (SaleFacts memory) {
        address owner_ = _requireOwned(tokenId);
        Voucher storage v = _vouchers[tokenId];
        return
            SaleFacts({
                owner: owner_,
                brandId: v.brandId,
                faceValue: v.faceValue,
                expiresAt: v.expiresAt,
                issuerBacked: v.issuerBacked,
                attested: v.attested,
                disclosed: v.disclosed
            });
    }

    /// @inheritdoc IVoucherToken
    function brand(uint256 brandId) external view returns (Brand memory) {
        if (brandId == 0 || brandId > _brandCount) revert UnknownBrand(brandId);
        return _brands[brandId];
    }

    /// @inheritdoc IVoucherToken
    function denominations(uint256 brandId) external view returns (uint128[] memory faceValues, uint128 maxFaceValue) {
        return (_faceValues[brandId], _maxFaceValue[brandId]);
    }

    /// @inheritdoc IVoucherToken
    function cardToken(uint256 brandId, bytes32 cardHash) external view returns (uint256) {
        return _cardTokens[brandId][cardHash];
    }

    /// @inheritdoc IVoucherToken
    function exchange() external view returns (address) {
        return _exchange;
    }

    /// @inheritdoc IVoucherToken
    function brandCount() external view returns (uint256) {
        return _brandCount;
    }

    /// @inheritdoc IVoucherToken
    function totalMinted() external view returns (uint256) {
        return _totalMinted;
    }

    /// @notice Fully on-chain metadata: JSON with an SVG card showing brand, face value, currency, expiry and kind.
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        Voucher memory v = _vouchers[tokenId];
        return VoucherArt.tokenURI(tokenId, _brands[v.brandId], v);
    }

    // ─── Internals ───────────────────────────────────────────────────────────────────────────────────────────────

    /// @dev Self-declared vouchers go to the caller only: nobody can put a voucher, or a sealed-code event that its
    /// wallet would show as its own, into someone else's wallet. Events come before the receiver callback.
    function _mintCoded(
        uint256 brandId,
        uint128 faceValue,
        uint64 expiresAt,
        bytes32 cardHash,
        bytes32 codeHash,
        bytes calldata sealedCode
    ) private returns (uint256 tokenId) {
        _checkNewVoucher(brandId, faceValue, expiresAt);
        if (cardHash == bytes32(0)) revert MissingCardHash();
        if (codeHash == bytes32(0)) revert MissingCodeHash();
        uint256 holder = _cardTokens[brandId][cardHash];
        if (holder != 0) revert DuplicateCard(brandId, cardHash, holder);
        tokenId = ++_totalMinted;
        _cardTokens[brandId][cardHash] = tokenId;
        _vouchers[tokenId] = Voucher({
            brandId: uint32(brandId),
            faceValue: faceValue,
            expiresAt: expiresAt,
            issuerBacked: false,
            attested: false,
            disclosed: false,
            codeHash: codeHash,
            cardHash: cardHash
        });
        _mint(msg.sender, tokenId);
        emit VoucherMinted(tokenId, msg.sender, brandId, faceValue, expiresAt, cardHash, codeHash);
        emit CodeSealed(tokenId, msg.sender, sealedCode);
        ERC721Utils.checkOnERC721Received(msg.sender, address(0), msg.sender, tokenId, "");
    }

    function _checkNewVoucher(
        uint256 brandId,
        uint128 faceValue,
        uint64 expiresAt
    ) private view returns (Brand storage b) {
        b = _requireBrand(brandId);
        if (!b.active) revert BrandInactive(brandId);
        if (faceValue == 0) revert InvalidFaceValue();
        uint128 max = _maxFaceValue[brandId];
        if (max == 0 ? !_isFaceValue[brandId][faceValue] : faceValue > max) {
            revert FaceValueNotAllowed(brandId, faceValue);
        }
        if (expiresAt <= block.timestamp) revert InvalidExpiry(expiresAt);
    }

    /// @dev The voucher, if the caller is its brand's issuer.
    function _requireIssuerOf(uint256 tokenId) private view returns (Voucher storage v) {
        _requireOwned(tokenId);
        v = _vouchers[tokenId];
        if (msg.sender != _brands[v.brandId].issuer) revert NotIssuer(msg.sender, v.brandId);
    }

    function _requireBrand(uint256 brandId) private view returns (Brand storage) {
        if (brandId == 0 || brandId > _brandCount) revert UnknownBrand(brandId);
        return _brands[brandId];
    }

    /// @dev Brand text lands verbatim in JSON and SVG, so anything that could escape either is refused here once
    /// rather than escaped on every tokenURI call. Multi-byte UTF-8 (e.g. Chinese brand names) is allowed.
    function _checkBrandText(string calldata text) private pure {
        bytes calldata raw = bytes(text);
        if (raw.length == 0 || raw.length > MAX_BRAND_TEXT) revert InvalidBrandText(text);
        for (uint256 i; i < raw.length; ++i) {
            bytes1 c = raw[i];
            if (c < 0x20 || c == '"' || c == "\\" || c == "<" || c == ">" || c == "&" || c == 0x7f) {
                revert InvalidBrandText(text);
            }
        }
    }
}
