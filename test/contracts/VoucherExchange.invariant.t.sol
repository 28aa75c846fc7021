// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherExchange} from "../../contracts/interfaces/IVoucherExchange.sol";
import {RejectingReceiver} from "../../contracts/mocks/RejectingReceiver.sol";
import {ExchangeHandler} from "./handlers/ExchangeHandler.sol";
import {ExchangeFixture} from "./utils/ExchangeFixture.sol";

/// @title VoucherExchange invariants
/// @notice Invariants 1–9 of docs/security.md (solvency counting recyclers' offer budgets, and an offer never paying
/// more than it holds), 10 "a seller is never paid for a coded voucher whose code was
/// disclosed" (no listing of a disclosed voucher succeeds) and 11 "one card, one voucher" (no two vouchers of a brand
/// share a card number), under bounded random sequences of every user, arbiter and owner action (see ExchangeHandler). Each `invariant_` runs after every call of every run; `afterInvariant` then lets every
/// deadline pass, exits every order, claims every credit and checks the exchange is drained to zero.
/// Settings: hardhat.config.ts `test.solidity.invariant` (256 runs × depth 100 by default, ×10 with
/// KAQUAN_FUZZ_SCALE=10). Running this file alone needs its handler too:
/// `npx hardhat test solidity test/contracts/VoucherExchange.invariant.t.sol test/contracts/handlers/ExchangeHandler.sol`.
contract VoucherExchangeInvariantTest is ExchangeFixture {
    ExchangeHandler internal handler;
    address internal refuser;

    function setUp() public {
        _deploy();
        refuser = deployCode("RejectingReceiver.sol:RejectingReceiver", "");
        handler = new ExchangeHandler(exchange, voucher, usd, issuer, refuser);
        vm.label(address(handler), "handler");
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](24);
        selectors[0] = ExchangeHandler.list.selector;
        selectors[1] = ExchangeHandler.buyInEth.selector;
        selectors[2] = ExchangeHandler.buyInStablecoin.selector;
        selectors[3] = ExchangeHandler.deliver.selector;
        selectors[4] = ExchangeHandler.confirm.selector;
        selectors[5] = ExchangeHandler.dispute.selector;
        selectors[6] = ExchangeHandler.resolve.selector;
        selectors[7] = ExchangeHandler.timeout.selector;
        selectors[8] = ExchangeHandler.cancelListing.selector;
        selectors[9] = ExchangeHandler.updatePrice.selector;
        selectors[10] = ExchangeHandler.claim.selector;
        selectors[11] = ExchangeHandler.setFee.selector;
        selectors[12] = ExchangeHandler.joinDistributors.selector;
        selectors[13] = ExchangeHandler.warp.selector;
        selectors[14] = ExchangeHandler.setLevelShares.selector;
        selectors[15] = ExchangeHandler.setTreasury.selector;
        selectors[16] = ExchangeHandler.setWindows.selector;
        selectors[17] = ExchangeHandler.setMinPrice.selector;
        selectors[18] = ExchangeHandler.setDisputeBond.selector;
        selectors[19] = ExchangeHandler.postOffer.selector;
        selectors[20] = ExchangeHandler.topUpOffer.selector;
        selectors[21] = ExchangeHandler.setOfferRate.selector;
        selectors[22] = ExchangeHandler.cancelOffer.selector;
        selectors[23] = ExchangeHandler.sellToOffer.selector;
        targetSelector(FuzzSelector(address(handler), selectors));
    }

    /// @notice Invariants 1–11, asserted after every call of one campaign. One campaign rather than eleven
    /// `invariant_` functions: each gets its own runs × depth, so eleven would cost eleven times the time.
    /// The handler checks every step against its own prediction and records the invariant any mismatch breaks:
    /// 2 conservation (every party's exact gain per settlement or refund, dispute bonds included), 4 forward-only and
    /// paid once, 5 custody of the touched voucher, 6 every account's credit after each credit-changing step, 7 the
    /// tree after each join and the paid levels per settlement, 9 every settlement against the quote just before its
    /// purchase and every deadline and dispute bond against the terms of the purchase, whatever the owner changed in
    /// between, 10 every listing of a voucher a refunded dispute disclosed refused (and no settlement of one), 11 every
    /// mint of a card number already taken refused. Here, after every call, the state itself is checked against the
    /// ghost sums with as few reads as possible (this runs 25,600 times); `afterInvariant` checks everything in full.
    function invariant_securityInvariants() public view {
        uint256 mask = handler.violationMask();
        if (mask != 0) _reportViolations(mask);
        (
            uint256[2] memory escrow,
            uint256[2] memory owed,
            uint256[2] memory finalIn,
            uint256[2] memory finalOut
        ) = handler.ghostSums();
        uint256[2] memory budgets = handler.ghostBudgets();
        // 1. Solvency per asset: exactly the escrow of open orders (prices and dispute bonds) plus the open offers'
        // budgets plus every credit, no surplus, no shortfall.
        vm.assertEq(
            address(exchange).balance,
            escrow[0] + budgets[0] + owed[0],
            "[1 solvency] ETH != escrow + budgets + credits"
        );
        vm.assertEq(
            usd.balanceOf(address(exchange)),
            escrow[1] + budgets[1] + owed[1],
            "[1 solvency] kUSD != escrow + budgets + credits"
        );
        // 2. Conservation: over every settled or refunded order, paid out == paid in.
        vm.assertEq(finalOut[0], finalIn[0], "[2 conservation] ETH paid out != paid in");
        vm.assertEq(finalOut[1], finalIn[1], "[2 conservation] kUSD paid out != paid in");
        // 3. Fee bounds, whatever any caller tried.
        uint256 fee = exchange.protocolFeeBps();
        vm.assertTrue(fee >= 100 && fee <= 300, "[3 fee bounds] fee outside [100, 300] bps");
    }

    /// @dev Fails with the first recorded violation's invariant number and reason.
    function _reportViolations(uint256 mask) internal view {
        for (uint256 i = 1; i <= 11; ++i) {
            if (mask & (1 << i) != 0) {
                vm.assertEq(handler.violation(i), "", string.concat("invariant ", vm.toString(i), " violated"));
            }
        }
    }

    /// @notice 8. Drain to zero: after every deadline passes and everyone claims, the exchange holds nothing but what
    /// refusing addresses still have to claim. Runs once at the end of every run.
    function afterInvariant() public {
        // 6 in full: every account's credit is exactly what it was credited less what it claimed.
        uint256[2][8] memory owed = handler.ghostOwed();
        uint256[2][8] memory credits = handler.exchangeCredits();
        for (uint256 i; i < 8; ++i) {
            vm.assertEq(credits[i][0], owed[i][0], "[6 credits] ETH credit != credited - claimed");
            vm.assertEq(credits[i][1], owed[i][1], "[6 credits] kUSD credit != credited - claimed");
        }
        (uint256[2] memory escrow, , , ) = handler.ghostSums();
        uint256[2] memory budgets = handler.ghostBudgets();
        vm.assertEq(budgets[0], _offerBudgets(ETH), "[1 solvency] ghost ETH budgets != the exchange's offer funds");
        vm.assertEq(budgets[1], _offerBudgets(address(usd)), "[1 solvency] ghost kUSD budgets != the offer funds");
        vm.assertEq(escrow[0], _escrow(ETH), "[1 solvency] ghost ETH escrow != the exchange's open orders");
        vm.assertEq(escrow[1], _escrow(address(usd)), "[1 solvency] ghost kUSD escrow != the exchange's open orders");
        handler.checkCardRegistry();
        handler.drainAll();
        uint256 mask = handler.violationMask();
        if (mask != 0) _reportViolations(mask);
        vm.assertEq(address(exchange).balance, exchange.credits(refuser, ETH), "ETH left beyond the refuser's credit");
        vm.assertEq(usd.balanceOf(address(exchange)), 0, "stablecoin left behind");
        address[8] memory accounts = handler.accounts();
        for (uint256 i; i < accounts.length; ++i) {
            if (accounts[i] != refuser) vm.assertEq(exchange.credits(accounts[i], ETH), 0, "unclaimed ETH credit");
            vm.assertEq(exchange.credits(accounts[i], address(usd)), 0, "unclaimed stablecoin credit");
        }
        uint256 n = exchange.tradeCount();
        for (uint256 id = 1; id <= n; ++id) {
            IVoucherExchange.Status s = exchange.trade(id).status;
            // An issuer-backed card sold into an offer settled in the sale and has no stored trade.
            if (handler.instantOfferSale(id)) {
                vm.assertEq(uint256(s), uint256(IVoucherExchange.Status.None), "an instant offer sale stored a trade");
                continue;
            }
            vm.assertTrue(
                s == IVoucherExchange.Status.Completed ||
                    s == IVoucherExchange.Status.Refunded ||
                    s == IVoucherExchange.Status.Cancelled,
                "a trade is not final after every deadline"
            );
        }
        vm.assertEq(voucher.balanceOf(address(exchange)), 0, "a voucher is stuck in the exchange");
        uint256 tokens = handler.tokenCount();
        for (uint256 k; k < tokens; ++k) {
            uint256 tokenId = handler.tokenIds(k);
            vm.assertEq(voucher.ownerOf(tokenId), handler.ghostHolder(tokenId), "a voucher is not with its owner");
        }
    }
}
