// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IVoucherToken} from "../interfaces/IVoucherToken.sol";

/// @title VoucherArt
/// @notice Renders a voucher's fully on-chain metadata: JSON with an SVG card showing brand, face value, currency,
/// expiry and kind (no IPFS, no server). Brand text is validated at registration, so it is inserted verbatim.
library VoucherArt {
    using Strings for uint256;

    /// @notice The `data:application/json;base64,…` token URI of voucher `tokenId`.
    function tokenURI(
        uint256 tokenId,
        IVoucherToken.Brand memory b,
        IVoucherToken.Voucher memory v
    ) internal pure returns (string memory) {
        string memory value = string.concat(formatMinor(v.faceValue), " ", b.currency);
        string memory kind = v.issuerBacked ? "Issuer-backed" : "Coded";
        string memory image = Base64.encode(bytes(_svg(b.name, b.category, value, formatDate(v.expiresAt), kind)));
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

    function _attributes(
        IVoucherToken.Brand memory b,
        IVoucherToken.Voucher memory v,
        string memory kind
    ) private pure returns (string memory) {
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
    function formatMinor(uint256 minor) internal pure returns (string memory) {
        uint256 cents = minor % 100;
        return string.concat((minor / 100).toString(), cents < 10 ? ".0" : ".", cents.toString());
    }

    /// @dev Unix time → "YYYY-MM-DD" (UTC), Howard Hinnant's days-to-civil algorithm.
    function formatDate(uint256 timestamp) internal pure returns (string memory) {
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
