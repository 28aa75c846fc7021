// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IVoucherToken} from "./interfaces/IVoucherToken.sol";

/// @title VoucherToken
/// @notice "Kaquan Voucher" (KQV): gift cards, store cards, coupons and top-up cards as ERC-721 tokens, with curated
/// brands, code commitments and a fully on-chain tokenURI (JSON + SVG card, no IPFS, no server).
contract VoucherToken is ERC721, Ownable2Step, IVoucherToken {
    using Strings for uint256;

    /// @notice Most cards one `mintBatch` may create (bounds the loop).
    uint256 public constant MAX_BATCH = 50;
    uint256 private constant MAX_BRAND_TEXT = 32;

    uint256 private _brandCount;
    uint256 private _totalMinted;
    mapping(uint256 brandId => Brand) private _brands;
    mapping(uint256 tokenId => Voucher) private _vouchers;

    constructor(address initialOwner) ERC721("Kaquan Voucher", "KQV") Ownable(initialOwner) {}

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
    function mint(
        address to,
        uint256 brandId,
        uint128 faceValue,
        uint64 expiresAt,
        bytes32 codeHash,
        bytes calldata sealedCode
    ) external returns (uint256 tokenId) {
        tokenId = _mintCoded(to, brandId, faceValue, expiresAt, codeHash, sealedCode);
    }

    /// @inheritdoc IVoucherToken
    function mintBatch(address to, MintRequest[] calldata requests) external returns (uint256 firstTokenId) {
        uint256 n = requests.length;
        if (n == 0 || n > MAX_BATCH) revert InvalidBatchSize(n);
        firstTokenId = _totalMinted + 1;
        for (uint256 i; i < n; ++i) {
            MintRequest calldata r = requests[i];
            _mintCoded(to, r.brandId, r.faceValue, r.expiresAt, r.codeHash, r.sealedCode);
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
            codeHash: bytes32(0)
        });
        _safeMint(to, tokenId);
        emit VoucherIssued(tokenId, to, brandId, faceValue, expiresAt);
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
    function sealCode(uint256 tokenId, bytes calldata sealedCode) external {
        if (_ownerOf(tokenId) != msg.sender) revert NotVoucherOwner(msg.sender, tokenId);
        if (_vouchers[tokenId].issuerBacked) revert NoCode(tokenId);
        emit CodeSealed(tokenId, msg.sender, sealedCode);
    }

    /// @inheritdoc IVoucherToken
    function voucher(uint256 tokenId) external view returns (Voucher memory) {
        _requireOwned(tokenId);
        return _vouchers[tokenId];
    }

    /// @inheritdoc IVoucherToken
    function brand(uint256 brandId) external view returns (Brand memory) {
        if (brandId == 0 || brandId > _brandCount) revert UnknownBrand(brandId);
        return _brands[brandId];
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
        Brand storage b = _brands[v.brandId];
        string memory value = string.concat(_formatMinor(v.faceValue), " ", b.currency);
        string memory kind = v.issuerBacked ? "Issuer-backed" : "Coded";
        string memory image = Base64.encode(bytes(_svg(b.name, b.category, value, _formatDate(v.expiresAt), kind)));
        string memory head = string.concat('{"name":"', b.name, " ", value, " #", tokenId.toString());
        string memory json = string.concat(
            head,
            string.concat('","description":"Kaquan voucher: ', kind, " ", b.category, ' card."'),
            string.concat(',"image":"data:image/svg+xml;base64,', image, '","attributes":'),
            _attributes(b, v, kind),
            "}"
        );
        return string.concat("data:application/json;base64,", Base64.encode(bytes(json)));
    }

    function _attributes(Brand storage b, Voucher memory v, string memory kind) private view returns (string memory) {
        return
            string.concat(
                string.concat('[{"trait_type":"Brand","value":"', b.name, '"},{"trait_type":"Category","value":"'),
                string.concat(b.category, '"},{"trait_type":"Currency","value":"', b.currency),
                '"},{"trait_type":"Face value","display_type":"number","value":',
                uint256(v.faceValue).toString(),
                '},{"trait_type":"Expires","display_type":"date","value":',
                uint256(v.expiresAt).toString(),
                '},{"trait_type":"Kind","value":"',
                kind,
                '"}]'
            );
    }

    function _mintCoded(
        address to,
        uint256 brandId,
        uint128 faceValue,
        uint64 expiresAt,
        bytes32 codeHash,
        bytes calldata sealedCode
    ) private returns (uint256 tokenId) {
        _checkNewVoucher(brandId, faceValue, expiresAt);
        if (codeHash == bytes32(0)) revert MissingCodeHash();
        tokenId = ++_totalMinted;
        _vouchers[tokenId] = Voucher({
            brandId: uint32(brandId),
            faceValue: faceValue,
            expiresAt: expiresAt,
            issuerBacked: false,
            codeHash: codeHash
        });
        _safeMint(to, tokenId);
        emit VoucherMinted(tokenId, to, brandId, faceValue, expiresAt, codeHash);
        emit CodeSealed(tokenId, to, sealedCode);
    }

    function _checkNewVoucher(
        uint256 brandId,
        uint128 faceValue,
        uint64 expiresAt
    ) private view returns (Brand storage b) {
        b = _requireBrand(brandId);
        if (!b.active) revert BrandInactive(brandId);
        if (faceValue == 0) revert InvalidFaceValue();
        if (expiresAt <= block.timestamp) revert InvalidExpiry(expiresAt);
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

    function _svg(
        string memory name,
        string memory category,
        string memory value,
        string memory expiry,
        string memory kind
    ) private pure returns (string memory) {
        string memory top = string.concat(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 200" font-family="sans-serif">'
            '<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#b91c1c"/>'
            '<stop offset="1" stop-color="#f59e0b"/></linearGradient></defs>'
            '<rect width="320" height="200" rx="16" fill="url(#g)"/>'
            '<text x="20" y="40" font-size="22" font-weight="bold" fill="#fff">',
            name,
            '</text><text x="20" y="62" font-size="13" fill="#fde68a">',
            category
        );
        string memory bottom = string.concat(
            '</text><text x="20" y="120" font-size="32" font-weight="bold" fill="#fff">',
            value,
            '</text><text x="20" y="176" font-size="12" fill="#fff">Expires ',
            expiry,
            '</text><text x="300" y="176" font-size="12" fill="#fff" text-anchor="end">',
            kind,
            "</text></svg>"
        );
        return string.concat(top, bottom);
    }

    /// @dev Face values are in minor units with two decimals (cents, fen): 12345 → "123.45".
    function _formatMinor(uint256 minor) private pure returns (string memory) {
        uint256 cents = minor % 100;
        return string.concat((minor / 100).toString(), cents < 10 ? ".0" : ".", cents.toString());
    }

    /// @dev Unix time → "YYYY-MM-DD" (UTC), Howard Hinnant's days-to-civil algorithm.
    function _formatDate(uint256 timestamp) private pure returns (string memory) {
        // Shifting by 719468 days moves the epoch to 0000-03-01 so every term below stays non-negative.
        uint256 z = timestamp / 86400 + 719468;
        uint256 era = z / 146097;
        uint256 doe = z - era * 146097;
        uint256 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        uint256 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        uint256 mp = (5 * doy + 2) / 153;
        uint256 day = doy - (153 * mp + 2) / 5 + 1;
        uint256 month = mp < 10 ? mp + 3 : mp - 9;
        uint256 year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        return string.concat(year.toString(), "-", _two(month), "-", _two(day));
    }

    function _two(uint256 n) private pure returns (string memory) {
        return n < 10 ? string.concat("0", n.toString()) : n.toString();
    }
}
