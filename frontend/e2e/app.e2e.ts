/**
 * Kaquan in real Chromium against a real Hardhat node: the project's deploy and demo seed, the Vite dev server, and
 * the built-in dev wallet signing locally. Flows: the market lists what `activeListings` returns; an issuer-backed
 * voucher bought in ETH settles at once; a coded voucher is bought, delivered by its seller, its card number and PIN
 * revealed and checked by the buyer, confirmed; a dispute's evidence opens for the arbiter alone (no other page shows
 * the card), who refunds; bad input and a card number already on Kaquan never reach the wallet; the issuer agent
 * verifies a freshly minted card of its records and the badge shows.
 * Screenshots go to /tmp/kaquan-shots/.
 */
import { expect } from "chai";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page, type Route } from "playwright-core";
import {
  createPublicClient,
  createWalletClient,
  erc20Abi,
  http,
  keccak256,
  toHex,
  zeroAddress,
  type PublicClient,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import {
  BPS,
  cardHash,
  getOffer,
  getOpenOffers,
  setOfferSchedule,
  commitment,
  deriveKeyPair,
  keyMessage,
  openCode,
  Status,
  toBytes32,
  voucherExchangeAbi,
  voucherTokenAbi,
} from "#sdk";
import { DEFAULT_FEE_BPS } from "../../scripts/lib/deploy.ts";
import { bulkCard, demoCard, SPARE_CARDS } from "../../scripts/lib/demo-market.ts";
import { spawnGroup, stopProcess } from "../../scripts/lib/processes.ts";
import { startRecyclerAgent } from "../../scripts/lib/recycler-agent.ts";
import { formatTokenExact } from "../src/lib/format.ts";
import { startStack, type Stack } from "../../scripts/lib/stack.ts";

/** Where screenshots go: set KAQUAN_SHOTS=/tmp/kaquan-shots to look at every page; unset, the checks run without them. */
const SHOTS = process.env.KAQUAN_SHOTS;
const MNEMONIC = "test test test test test test test test test test test junk";
const ETH = { symbol: "ETH", decimals: 18 };
const FEE_BPS = BigInt(DEFAULT_FEE_BPS);
const ALICE = 3; // seller of coded cards (no delivery agent runs in this test)
const BOB = 4; // buyer
const JUDGE = 2; // arbiter
const ERIN = 7; // distributor
const HENRY = 10; // issuer, sells issuer-backed vouchers
const GRACE = 9; // buyer
const BULK_SELLER = 12; // an unused funded account that lists 1,000 vouchers
const IVY = 11; // holds JD cards and Meituan vouchers to sell into recyclers' offers
const JACK = 12; // recycler: the demo JD, Tmall and Meituan offers
const CAROL = 5; // posts, tops up and cancels an offer of her own
const address = (index: number) => mnemonicToAccount(MNEMONIC, { addressIndex: index }).address;

/**
 * A stand-in browser extension for one account: announces itself over EIP-6963, starts on chain 1, switches on
 * request (wagmi asks for the app's chain while connecting), and forwards everything else to the node through `kaquanNodeRpc` (the node's unlocked account
 * signs, as the extension's key would).
 */
const localChain = (rpcUrl: string) => ({
  id: 31337,
  name: "Hardhat",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [rpcUrl] } },
});

function testWalletScript(account: string): string {
  return `(() => {
    let chainId = "0x1";
    let connected = false;
    const listeners = {};
    const emit = (event, value) => (listeners[event] || []).forEach((fn) => fn(value));
    const setChain = (id) => { chainId = id; emit("chainChanged", id); };
    // What a person does in the extension's own UI: pick another network.
    window.kaquanTestWallet = { setChain };
    const provider = {
      async request({ method, params }) {
        if (method === "eth_chainId") return chainId;
        if (method === "eth_accounts") return connected ? ["${account}"] : [];
        if (method === "eth_requestAccounts") { connected = true; emit("accountsChanged", ["${account}"]); return ["${account}"]; }
        if (method === "wallet_switchEthereumChain") { setChain(params[0].chainId); return null; }
        if (method === "wallet_requestPermissions") return [{ parentCapability: "eth_accounts" }];
        const reply = await window.kaquanNodeRpc(method, params || []);
        if (reply.error) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
        return reply.result;
      },
      on(event, fn) { (listeners[event] = listeners[event] || []).push(fn); },
      removeListener(event, fn) { listeners[event] = (listeners[event] || []).filter((f) => f !== fn); },
    };
    const detail = Object.freeze({
      info: { uuid: "0b5b1e3c-e2e0-4a5b-9c51-000000000001", name: "Test Wallet", rdns: "dev.kaquan.testwallet",
        icon: "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'/>" },
      provider,
    });
    const announce = () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail }));
    window.addEventListener("eip6963:requestProvider", announce);
    announce();
  })();`;
}

describe("Kaquan in the browser", function () {
  this.timeout(180_000);
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let client: PublicClient;
  const pageErrors: string[] = [];

  const tokenId = (key: string) => stack.seed.tokenIds.get(key)!;
  const listingId = (key: string) => stack.seed.listingIds.get(key)!;
  const trade = (id: bigint) =>
    client.readContract({
      address: stack.deployment.voucherExchange,
      abi: voucherExchangeAbi,
      functionName: "trade",
      args: [id],
    });
  const ownerOf = (id: bigint) =>
    client.readContract({
      address: stack.deployment.voucherToken,
      abi: voucherTokenAbi,
      functionName: "ownerOf",
      args: [id],
    });
  /** Every active listing, paged the way the app pages (MAX_PAGE ids per call). */
  const activeListings = async () => {
    const exchange = { address: stack.deployment.voucherExchange, abi: voucherExchangeAbi } as const;
    const [count, page] = await Promise.all([
      client.readContract({ ...exchange, functionName: "tradeCount" }),
      client.readContract({ ...exchange, functionName: "MAX_PAGE" }),
    ]);
    const all = [];
    for (let from = 1n; from <= count; from += page) {
      all.push(...(await client.readContract({ ...exchange, functionName: "activeListings", args: [from, page] })));
    }
    return all;
  };
  const shot = async (name: string, target = page) => {
    await target.evaluate(() => window.scrollTo(0, 0));
    if (SHOTS) await target.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };
  const open = async (hash: string) => {
    await page.evaluate((h) => (window.location.hash = h), hash);
  };
  const useAccount = async (index: number) => {
    await page.getByTestId("dev-account").selectOption(String(index));
    await page.locator(`[data-testid="wallet"][data-address="${address(index)}"]`).waitFor();
  };

  before(async function () {
    this.timeout(600_000); // the compile waits for the shared Hardhat lock when other suites run
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    stack = await startStack({ nodePort: 8610, vitePort: 5180, indexerPort: 42180 });
    client = createPublicClient({ transport: http(stack.rpcUrl) });
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
    // These flows assert English sentences: the browser prefers English (zh.e2e.ts runs the Chinese ones).
    page = await browser.newPage({ viewport: { width: 1360, height: 900 }, locale: "en-US" });
    page.setDefaultTimeout(20_000);
    page.on("pageerror", (error) => pageErrors.push(error.message));
    console.log(`      stack up: ${JSON.stringify(stack.timings)} (ms)`);
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  afterEach(async function () {
    // A failed flow leaves a picture of where it stopped.
    if (this.currentTest?.state === "failed") await shot(`failed-${this.currentTest.title.slice(0, 40)}`);
    expect(pageErrors, "uncaught errors in the page").to.deep.equal([]);
  });

  it("shows every active listing that activeListings returns, with the brand comparison", async () => {
    const listings = await activeListings();
    const offerReads: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (new URL(request.url()).pathname === "/offers") offerReads.push(request.url());
    };
    page.on("request", onRequest);
    const started = Date.now();
    await page.goto(stack.appUrl);
    await page.getByTestId("listing-row").first().waitFor();
    const elapsed = Date.now() - started;
    expect(await page.getByTestId("listing-row").count()).to.equal(listings.length);
    expect(await page.getByTestId("listing-count").innerText()).to.equal(`${listings.length} vouchers for sale`);
    // Read through the indexer: no chain-fallback note, no lag.
    expect(await page.getByTestId("market-source").count()).to.equal(0);
    expect(await page.getByTestId("indexer-lag").count()).to.equal(0);
    await page.getByTestId("brand-comparison").locator("tbody tr").nth(5).waitFor();
    // Recyclers' best offers beside the best asks, read through the indexer too: each one an open offer on chain.
    const bestOffers = page.getByTestId("brand-comparison").getByTestId("best-offer");
    await bestOffers.first().waitFor();
    const shown = await bestOffers.evaluateAll((cells) => cells.map((cell) => cell.getAttribute("data-offer")));
    const reader = { deployment: stack.deployment, publicClient: client };
    const brandCount = await client.readContract({
      address: stack.deployment.voucherToken,
      abi: voucherTokenAbi,
      functionName: "brandCount",
    });
    const open = (
      await Promise.all(Array.from({ length: Number(brandCount) }, (_, i) => getOpenOffers(reader, i + 1)))
    ).flat();
    expect(open.map((o) => o.offerId.toString())).to.include.members(shown as string[]);
    expect(
      offerReads.some((url) => url.startsWith(stack.indexer!.url)),
      "offers read from the indexer",
    ).to.equal(true);
    page.off("request", onRequest);
    // The default sort puts trust first: verified cards, then sellers with a clean record, then the rest.
    const ranks = await page
      .getByTestId("listing-row")
      .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute("data-trust"))));
    expect(ranks).to.deep.equal([...ranks].sort((a, b) => a - b));
    expect(ranks[0]).to.equal(0);
    expect(await page.getByTestId("verified-badge").count()).to.be.greaterThan(0);
    // Sorted by discount alone, the first row's discount is the largest one shown.
    await page.getByLabel("Sort").selectOption("discount");
    await page.locator('[data-testid="listing-row"][data-trust="2"]').first().waitFor();
    // Rows render progressively after a re-sort: read them once the whole table is in place. A discount shows as
    // "−3.5%" below face value and "+2.0%" above it (a negative discount, sorted last).
    const readDiscounts = async () => {
      const discounts = await page.locator('[data-testid="listing-row"] td:nth-child(4)').allInnerTexts();
      return discounts.map((d) =>
        Number(d.split("\n")[0].replace("≈", "").replace("−", "").replace("+", "-").replace("%", "").trim()),
      );
    };
    let values = await readDiscounts();
    for (let tries = 0; tries < 20 && values.join() !== [...values].sort((a, b) => b - a).join(); tries++) {
      await page.waitForTimeout(100);
      values = await readDiscounts();
    }
    expect(values).to.deep.equal([...values].sort((a, b) => b - a));
    await page.getByLabel("Sort").selectOption("trust");
    console.log(`      market: ${listings.length} listings rendered ${elapsed} ms after navigation`);
    await shot("market");

    await page.getByLabel("Kind").selectOption("issuer");
    const issuerBacked = listings.filter((l) => l.issuerBacked).length;
    await page
      .getByTestId("listing-count")
      .filter({ hasText: `${issuerBacked} of ${listings.length}` })
      .waitFor();
    await page.getByRole("button", { name: "Reset" }).click();
  });

  it("buys an issuer-backed voucher in ETH: exact quote, instant settlement, voucher in the wallet", async () => {
    const id = tokenId("henry-meituan100");
    const listing = listingId("henry-meituan100");
    const { price } = await trade(listing);
    const fee = (price * FEE_BPS) / BigInt(BPS);

    await open(`#/voucher/${id}`);
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.getByRole("menuitem", { name: /Demo wallet/ }).click();
    await useAccount(BOB);
    await page.getByTestId("card-image").waitFor();
    expect(await page.getByTestId("quote-price").innerText()).to.equal(formatTokenExact(price, ETH));
    expect(await page.getByTestId("quote-fee").innerText()).to.equal(formatTokenExact(fee, ETH));
    expect(await page.getByTestId("quote-treasury").innerText()).to.equal(formatTokenExact(fee, ETH));
    expect(await page.getByTestId("quote-seller").innerText()).to.equal(formatTokenExact(price - fee, ETH));
    await shot("voucher-quote");

    const henryBefore = await client.getBalance({ address: address(HENRY) });
    await page.getByTestId("buy-button").click();
    await page.getByTestId("buy-success").waitFor();
    expect((await trade(listing)).status).to.equal(Status.Completed);
    expect(await ownerOf(id)).to.equal(address(BOB));
    // The seller is paid price - fee in the same transaction (Henry sent nothing, so the delta is exact).
    expect((await client.getBalance({ address: address(HENRY) })) - henryBefore).to.equal(price - fee);

    await open("#/wallet?tab=vouchers");
    await page.locator(`[data-testid="my-voucher"][data-token="${id}"]`).waitFor();
  });

  it("buys a coded voucher; the seller delivers; the buyer reveals a code matching the commitment and confirms", async () => {
    const id = tokenId("alice-jd500-d");
    const order = listingId("alice-jd500-d");
    const { price } = await trade(order);
    const fee = (price * FEE_BPS) / BigInt(BPS);

    await open(`#/voucher/${id}`);
    await page.getByTestId("buy-button").click();
    await page.getByTestId("buy-success").waitFor();
    expect((await trade(order)).status).to.equal(Status.AwaitingDelivery);
    // The buyer key is the one Bob's key re-derives from the same signature on any device.
    const signature = await mnemonicToAccount(MNEMONIC, { addressIndex: BOB }).signMessage({
      message: keyMessage(31337, stack.deployment.voucherExchange, `order:${order}`),
    });
    const [purchase] = await client.getContractEvents({
      address: stack.deployment.voucherExchange,
      abi: voucherExchangeAbi,
      eventName: "Purchased",
      args: { tradeId: order },
      fromBlock: BigInt(stack.deployment.startBlock),
    });
    expect(purchase.args.buyerKey).to.equal(toBytes32(deriveKeyPair(signature).publicKey));

    await useAccount(ALICE);
    await open("#/wallet?tab=selling");
    const selling = page.locator(`[data-testid="selling"] [data-testid="order"][data-order="${order}"]`);
    await selling.locator('[data-action="deliver"]').click();
    await page.locator(`[data-testid="selling"] [data-order="${order}"][data-status="4"]`).waitFor();
    expect((await trade(order)).status).to.equal(Status.Delivered);

    await useAccount(BOB);
    await open("#/wallet?tab=buying");
    const buying = page.locator(`[data-testid="buying"] [data-testid="order"][data-order="${order}"]`);
    await buying.locator('[data-action="reveal"]').click();
    await buying.getByTestId("reveal-button").click();
    const result = buying.getByTestId("reveal-result");
    await result.waitFor();
    expect(await result.getAttribute("data-match")).to.equal("yes");
    const sold = stack.seed.cards.get("alice-jd500-d")!;
    expect(await buying.getByTestId("revealed-card-number").innerText()).to.equal(sold.cardNumber);
    expect(await buying.getByTestId("revealed-code").innerText()).to.equal(sold.code);
    for (const match of await buying.locator(".reveal .match").all()) {
      expect(await match.getAttribute("data-value")).to.equal("yes");
    }
    await shot("wallet-revealed");

    const aliceBefore = await client.getBalance({ address: address(ALICE) });
    // Confirming pays the seller for good: a second click, in a panel that says so.
    await buying.locator('[data-action="confirm"]').click();
    await buying.locator('[data-action="confirm-confirm"]').click();
    await buying.waitFor({ state: "detached" }); // completed: off the list of open purchases
    await open("#/wallet?tab=vouchers");
    await page.locator(`[data-testid="my-voucher"][data-token="${id}"]`).waitFor();
    expect((await trade(order)).status).to.equal(Status.Completed);
    expect(await ownerOf(id)).to.equal(address(BOB));
    expect((await client.getBalance({ address: address(ALICE) })) - aliceBefore).to.equal(price - fee);

    // The voucher's history comes through the indexer: every step of this sale, in order.
    const provenanceReads: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (new URL(request.url()).pathname === `/vouchers/${id}/provenance`) provenanceReads.push(request.url());
    };
    page.on("request", onRequest);
    await open(`#/voucher/${id}`);
    const timeline = page.getByTestId("timeline");
    await timeline.locator("li strong", { hasText: /^Sold$/ }).waitFor();
    page.off("request", onRequest);
    const titles = await timeline.locator("li strong").allInnerTexts();
    const steps = ["Added", "Listed", "Bought", "Code sent", "Sold"];
    expect(
      titles.filter((title) => steps.includes(title)),
      titles.join(" → "),
    ).to.deep.equal(steps);
    expect(
      provenanceReads.some((url) => url.startsWith(stack.indexer!.url)),
      "provenance read from the indexer",
    ).to.equal(true);
  });

  it("shows a dispute's card to the arbiter alone, who checks it in the browser and refunds the buyer", async () => {
    const order = stack.seed.orderIds.get("dispute")!;
    const disputed = stack.seed.cards.get("frank-amazon50")!;
    // Anyone else (here the buyer herself) sees the dispute and its bond, never the evidence or the card.
    await useAccount(GRACE);
    await open("#/arbiter");
    const card = page.locator(`[data-testid="dispute"][data-order="${order}"]`);
    await card.getByTestId("evidence-sealed").waitFor();
    expect(await card.getByTestId("key-matches").count()).to.equal(0);
    const publicText = await page.locator("body").innerText();
    expect(publicText).to.not.contain(disputed.code.slice(0, -1));
    expect(publicText).to.not.contain(disputed.cardNumber);
    // The voucher's public page shows its history (the dispute and its bond), not the card either.
    await open(`#/voucher/${tokenId("frank-amazon50")}`);
    await page.getByText("Disputed", { exact: true }).first().waitFor();
    const voucherText = await page.locator("body").innerText();
    expect(voucherText).to.not.contain(disputed.code.slice(0, -1));
    expect(voucherText).to.not.contain(disputed.cardNumber);

    await useAccount(JUDGE);
    await open("#/arbiter");
    await page.getByTestId("arbiter-unlock").click();
    await page.getByTestId("arbiter-key-ok").waitFor();
    await card.getByTestId("evidence").waitFor();
    // The seed's seller delivered the right card number with a mistyped PIN.
    expect(await card.getByTestId("key-matches").getAttribute("data-value")).to.equal("yes");
    expect(await card.getByTestId("delivered").getAttribute("data-value")).to.equal("yes");
    expect(await card.getByTestId("card-matches").getAttribute("data-value")).to.equal("yes");
    expect(await card.getByTestId("code-matches").getAttribute("data-value")).to.equal("no");
    expect(await card.getByTestId("evidence-card-number").innerText()).to.equal(disputed.cardNumber);
    const delivered = await card.getByTestId("evidence-code").innerText();
    expect(delivered).to.not.equal(disputed.code);
    expect(delivered.slice(0, -1)).to.equal(disputed.code.slice(0, -1));
    await shot("arbiter");

    // Refunding is final: the first click only asks.
    await card.locator('[data-action="refund"]').click();
    expect((await trade(order)).status).to.equal(5); // still Disputed
    await card.locator('[data-action="refund-confirm"]').click();
    await card.waitFor({ state: "detached" });
    expect((await trade(order)).status).to.equal(Status.Refunded);
  });

  it("refuses bad input in the form before asking the wallet for anything", async () => {
    const mintedBefore = await client.readContract({
      address: stack.deployment.voucherToken,
      abi: voucherTokenAbi,
      functionName: "totalMinted",
    });
    await useAccount(BOB);
    await open("#/sell");
    const mint = page.getByTestId("mint");
    await mint.getByLabel("Face value").fill("-5");
    await mint.getByLabel("Expiry date").fill("2020-01-01");
    await page.getByTestId("mint-button").click();
    expect(await mint.locator(".field-message").allInnerTexts()).to.deep.equal([
      "Choose a brand.",
      "Face value cannot be negative.",
      "Expiry date is in the past: an expired card cannot be sold.",
      "Card number is required.",
      "PIN is required.",
    ]);
    await mint.getByLabel("Face value").fill("12.345");
    await page.getByTestId("mint-button").click();
    expect(await mint.locator(".field-message").nth(1).innerText()).to.equal(
      "Face value can have at most 2 decimal places.",
    );
    expect(await page.locator(".steps").count()).to.equal(0);
    expect(await page.locator(".toast", { hasText: "Add" }).count()).to.equal(0);
    const mintedAfter = await client.readContract({
      address: stack.deployment.voucherToken,
      abi: voucherTokenAbi,
      functionName: "totalMinted",
    });
    expect(mintedAfter).to.equal(mintedBefore);
    await shot("sell-validation");
  });

  it("mints a card (number and PIN sealed to the holder's vault), refuses the same card number again, lists it", async () => {
    const cardNumber = "JD20 4321 8765 0000";
    const code = "E2E4-K7QM-82PX-4NZ1";
    await useAccount(BOB);
    await open("#/sell");
    const mint = page.getByTestId("mint");
    const fill = async (number: string) => {
      await mint.getByLabel("Brand").selectOption("1");
      // JD E-Cards come in ¥100/200/500/1000: the face value is picked from them.
      await mint.getByLabel("Face value").selectOption("100");
      await mint.getByLabel("Expiry date").fill("2027-12-31");
      await mint.getByLabel("Card number").fill(number);
      await mint.getByLabel("PIN").fill(code);
    };
    await fill(cardNumber);
    await page.getByTestId("mint-button").click();
    await mint.locator(".alert-success").waitFor();
    const id = await client.readContract({
      address: stack.deployment.voucherToken,
      abi: voucherTokenAbi,
      functionName: "totalMinted",
    });
    // On-chain: the card-number fingerprint, the PIN commitment and a sealed copy only Bob's vault key opens.
    const [sealed] = await client.getContractEvents({
      address: stack.deployment.voucherToken,
      abi: voucherTokenAbi,
      eventName: "CodeSealed",
      args: { tokenId: id },
      fromBlock: BigInt(stack.deployment.startBlock),
    });
    const vault = deriveKeyPair(
      await mnemonicToAccount(MNEMONIC, { addressIndex: BOB }).signMessage({
        message: keyMessage(31337, stack.deployment.voucherExchange, "vault"),
      }),
    );
    const opened = openCode(sealed.args.sealedCode!, vault.secretKey);
    expect(opened).to.deep.include({ cardNumber, code });
    const voucher = await client.readContract({
      address: stack.deployment.voucherToken,
      abi: voucherTokenAbi,
      functionName: "voucher",
      args: [id],
    });
    expect(voucher.codeHash).to.equal(commitment(code, opened.salt));
    expect(voucher.cardHash).to.equal(cardHash(1, cardNumber));
    expect(voucher.expiresAt).to.equal(BigInt(Date.UTC(2027, 11, 31) / 1000 + 86_399));

    // The same card again, typed with dashes instead of spaces: refused in the form, before any signature or fee.
    await fill("jd20-4321-8765-0000");
    await page.getByTestId("mint-button").click();
    await mint
      .locator(".field-message")
      .filter({ hasText: `This card number is already on Kaquan (voucher #${id})` })
      .waitFor();
    expect(
      await client.readContract({
        address: stack.deployment.voucherToken,
        abi: voucherTokenAbi,
        functionName: "totalMinted",
      }),
    ).to.equal(id);
    await shot("sell-duplicate");

    const list = page.getByTestId("list");
    await list.getByLabel("Payment token").selectOption(stack.deployment.stablecoin);
    await list.getByLabel(`Select voucher ${id}`).check();
    const price = list.getByLabel(`Price for voucher ${id}`);
    // JD has 3+ completed sales in the seed, so the suggestion is their median, prefilled.
    expect(await price.inputValue()).to.match(/^\d+\.\d{2}$/);
    await price.fill("13.10");
    await page.getByTestId("list-button").click();
    await list.locator(".alert-success").waitFor();
    expect(
      await list.locator(".step").evaluateAll((steps) => steps.map((s) => s.getAttribute("data-state"))),
    ).to.deep.equal(["done", "done"]);
    const listing = await client.readContract({
      address: stack.deployment.voucherExchange,
      abi: voucherExchangeAbi,
      functionName: "tradeCount",
    });
    const listed = await trade(listing);
    expect(listed.status).to.equal(Status.Listed);
    expect(BigInt(listed.tokenId)).to.equal(id);
    expect(listed.price).to.equal(13_100_000n);
    expect(listed.payToken).to.equal(stack.deployment.stablecoin);
    expect(await ownerOf(id)).to.equal(stack.deployment.voucherExchange);
  });

  it("verifies a freshly minted card of the issuer's records within seconds: the issuer agent attests, the badge shows", async () => {
    // Henry's issuer agent, as `npm start` runs it, on this stack's chain and card database.
    const stateDir = mkdtempSync(path.join(tmpdir(), "kaquan-e2e-issuer-"));
    let output = "";
    const agent = spawnGroup(process.execPath, [
      ...["--import", "tsx", "scripts/issuer-agent.ts", "--issuer", String(HENRY), "--rpc", stack.rpcUrl],
      ...["--deployments", stack.deploymentsDir, "--database", stack.seed.issuerDatabase, "--state-dir", stateDir],
      ...["--poll", "200"],
    ]);
    agent.stdout!.on("data", (chunk) => (output += chunk));
    agent.stderr!.on("data", (chunk) => (output += chunk));
    try {
      // A JD card Henry sold that nobody has put on Kaquan yet.
      const spare = SPARE_CARDS.find((card) => card.brand === "jd")!;
      const { cardNumber, code } = demoCard(spare.brand, spare.key);
      await useAccount(BOB);
      await open("#/sell");
      const mint = page.getByTestId("mint");
      await mint.getByLabel("Brand").selectOption("1");
      await mint.getByLabel("Face value").selectOption(String(spare.face));
      await mint.getByLabel("Expiry date").fill("2027-12-31");
      await mint.getByLabel("Card number").fill(cardNumber);
      await mint.getByLabel("PIN").fill(code);
      await page.getByTestId("mint-button").click();
      await mint.locator(".alert-success").waitFor();
      const minted = Date.now();
      const id = await client.readContract({
        address: stack.deployment.voucherToken,
        abi: voucherTokenAbi,
        functionName: "totalMinted",
      });
      await open("#/wallet?tab=vouchers");
      const row = page.locator(`[data-testid="my-voucher"][data-token="${id}"]`);
      await row.locator(".badge", { hasText: "Verified" }).waitFor({ timeout: 10_000 });
      console.log(`      verified badge shown ${Date.now() - minted} ms after the mint`);
      const voucher = await client.readContract({
        address: stack.deployment.voucherToken,
        abi: voucherTokenAbi,
        functionName: "voucher",
        args: [id],
      });
      expect(voucher.attested, output).to.equal(true);
      await open(`#/voucher/${id}`);
      expect(await page.getByTestId("verification").innerText()).to.contain("Verified");
      await shot("voucher-verified");
    } finally {
      await stopProcess(agent);
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it("reprices a listing from the wallet; a buyer whose page shows the old price is refused with a plain sentence", async () => {
    const listing = await client.readContract({
      address: stack.deployment.voucherExchange,
      abi: voucherExchangeAbi,
      functionName: "tradeCount",
    });
    const { tokenId: id } = await trade(listing);
    await open("#/wallet?tab=selling");
    const card = page.locator(`[data-testid="selling"] [data-testid="order"][data-order="${listing}"]`);
    await card.locator('[data-action="updatePrice"]').click();
    await card.getByLabel("New price").fill("12.9000001");
    await card.getByRole("button", { name: "Save price" }).click();
    expect(await card.locator(".field-message").innerText()).to.equal("Price can have at most 6 decimal places.");
    await card.getByLabel("New price").fill("12.90");
    await card.getByRole("button", { name: "Save price" }).click();
    await card.getByLabel("New price").waitFor({ state: "detached" });
    expect((await trade(listing)).price).to.equal(12_900_000n);

    // Grace opens the voucher and sees 12.90 kUSD; then Bob raises the price behind her back.
    await useAccount(GRACE);
    await open(`#/voucher/${id}`);
    await page.getByTestId("quote-price").filter({ hasText: "$12.90" }).waitFor();
    // Her page must still show 12.90 when she clicks: its chain requests are held while Bob reprices (else a poll could
    // bring the new price first, and she would simply be buying at the price she sees).
    let holding = true;
    const held: Route[] = [];
    const toChain = (url: URL) => url.href.startsWith(stack.rpcUrl);
    await page.route(toChain, (route) => (holding ? void held.push(route) : route.continue()));
    const bob = createWalletClient({
      account: mnemonicToAccount(MNEMONIC, { addressIndex: BOB }),
      transport: http(stack.rpcUrl),
      chain: localChain(stack.rpcUrl),
    });
    await client.waitForTransactionReceipt({
      hash: await bob.writeContract({
        address: stack.deployment.voucherExchange,
        abi: voucherExchangeAbi,
        functionName: "updatePrice",
        args: [listing, 14_000_000n],
      }),
    });
    expect(await page.getByTestId("quote-price").innerText()).to.contain("$12.90");
    await page.getByTestId("buy-button").click();
    holding = false;
    for (const route of held.splice(0)) await route.continue().catch(() => undefined); // the app may have given up on it
    await page.unroute(toChain);
    // The buy re-checks the price before anything is signed, and says what changed.
    const status = page.getByTestId("buy-panel").locator('.step[data-state="error"] .step-detail');
    await status.waitFor();
    expect(await status.innerText()).to.equal(
      "The seller changed the price after you opened this page. Nothing was paid: review the new price ($14.00).",
    );
    await page.getByTestId("quote-price").filter({ hasText: "$14.00" }).waitFor();
    expect((await trade(listing)).status).to.equal(Status.Listed); // still listed: stopped before the wallet
    await shot("price-raised");
  });

  it("joins the distributor network under the upline of a ?ref= link and shows the referral link", async () => {
    const erin = address(ERIN);
    await page.goto(`${stack.appUrl}?ref=${erin}#/distribute`);
    // A full reload: the dev wallet reconnects by itself, on the account picked last (Grace).
    await page.locator(`[data-testid="wallet"][data-address="${address(GRACE)}"]`).waitFor();
    await useAccount(BOB);
    // The landing names who invited you.
    expect(await page.getByTestId("inviter").innerText()).to.equal("Erin");
    expect(await page.getByLabel("Upline address").inputValue()).to.equal(erin);
    await page.getByTestId("join-button").click();
    await page.getByTestId("referral-link").waitFor();
    expect(await page.getByTestId("referral-link").innerText()).to.equal(`${stack.appUrl}?ref=${address(BOB)}`);
    const [joined, upline] = await client.readContract({
      address: stack.deployment.voucherExchange,
      abi: voucherExchangeAbi,
      functionName: "distributor",
      args: [address(BOB)],
    });
    expect([joined, upline]).to.deep.equal([true, erin]);
    await shot("distribute");
  });

  it("works with an injected EIP-6963 wallet: detects the wrong network and switches", async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: "en-US" });
    try {
      const injected = await context.newPage();
      await injected.exposeFunction("kaquanNodeRpc", (method: string, params: unknown[]) =>
        fetch(stack.rpcUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
        }).then((r) => r.json()),
      );
      // Given as source text: tsx would wrap a function argument in helpers the page does not have.
      await injected.addInitScript({ content: testWalletScript(address(9)) });
      await injected.goto(`${stack.appUrl}#/wallet?tab=vouchers`);
      await injected.getByRole("button", { name: "Connect wallet" }).click();
      await injected.getByRole("menuitem", { name: /Test Wallet/ }).click();
      await injected.locator(`[data-testid="wallet"][data-address="${address(9)}"]`).waitFor();
      await injected.getByTestId("my-vouchers").waitFor();
      expect(await injected.getByTestId("wrong-network").count()).to.equal(0);
      // The person switches the extension to Ethereum mainnet: the app notices and offers to switch back.
      await injected.evaluate(() =>
        (window as unknown as { kaquanTestWallet: { setChain(id: string): void } }).kaquanTestWallet.setChain("0x1"),
      );
      const banner = injected.getByTestId("wrong-network");
      await banner.waitFor();
      expect(await banner.innerText()).to.contain("Your wallet is on chain 1");
      await shot("wrong-network", injected);
      await banner.getByRole("button", { name: /Switch to/ }).click();
      await banner.waitFor({ state: "detached" });
      await injected.getByTestId("my-vouchers").waitFor();
    } finally {
      await context.close();
    }
  });

  let total = 0;
  it("pages a market of 1,000+ listings through the indexer", async function () {
    // Setup straight on the node: a holder mints 1,000 coded cards in batches of 50 and lists them in the stablecoin.
    const seller = mnemonicToAccount(MNEMONIC, { addressIndex: BULK_SELLER });
    const wallet = createWalletClient({
      account: seller,
      transport: http(stack.rpcUrl),
      chain: localChain(stack.rpcUrl),
    });
    const { voucherToken, voucherExchange, stablecoin } = stack.deployment;
    const expiresAt = BigInt(Math.floor(Date.now() / 1000) + 400 * 86_400);
    const send = async (hash: Promise<`0x${string}`>) => {
      const receipt = await client.waitForTransactionReceipt({ hash: await hash });
      expect(receipt.status).to.equal("success");
    };
    await send(
      wallet.writeContract({
        address: voucherToken,
        abi: voucherTokenAbi,
        functionName: "setApprovalForAll",
        args: [voucherExchange, true],
      }),
    );
    const setupStarted = Date.now();
    for (let batch = 0; batch < 20; batch++) {
      const first =
        (await client.readContract({ address: voucherToken, abi: voucherTokenAbi, functionName: "totalMinted" })) + 1n;
      const requests = Array.from({ length: 50 }, (_, i) => {
        const { brandId, faceValue, cardNumber } = bulkCard(batch * 50 + i, "E2E");
        const card = { brandId, faceValue, expiresAt, cardHash: cardHash(brandId, cardNumber) };
        return { ...card, codeHash: keccak256(toHex(`bulk-${batch}-${i}`)), sealedCode: "0x00" as const };
      });
      await send(
        wallet.writeContract({
          address: voucherToken,
          abi: voucherTokenAbi,
          functionName: "mintBatch",
          args: [requests],
        }),
      );
      const ids = requests.map((_, i) => first + BigInt(i));
      const prices = requests.map((r) => (r.faceValue * 120_000n * (90n + BigInt(Number(r.faceValue % 7n)))) / 100n);
      await send(
        wallet.writeContract({
          address: voucherExchange,
          abi: voucherExchangeAbi,
          functionName: "listBatch",
          args: [
            ids,
            batch % 2 ? stablecoin : zeroAddress,
            batch % 2 ? prices : prices.map((p) => (p * 10n ** 12n) / 3000n),
          ],
        }),
      );
    }
    total = (await activeListings()).length;
    expect(total).to.be.greaterThan(1000);
    console.log(`      1,000 listings created in ${Date.now() - setupStarted} ms`);
    // The indexer follows the chain block by block; on a loaded machine 40 blocks of a thousand cards each take it a
    // while. What this test measures is the page once they are indexed, so it waits for the indexer, not a timer.
    const indexing = Date.now();
    await stack.indexer!.caughtUp(120_000);
    console.log(`      indexer at the chain's head ${Date.now() - indexing} ms later`);

    const started = Date.now();
    await page.goto(stack.appUrl);
    await page.getByTestId("listing-row").first().waitFor();
    const firstRows = Date.now() - started;
    // The indexer counts them all and serves the first page; "show more" brings the next one.
    await page
      .getByTestId("listing-count")
      .filter({ hasText: `${total} vouchers for sale` })
      .waitFor({ timeout: 60_000 });
    await page.getByTestId("listing-row").nth(99).waitFor();
    expect(await page.getByTestId("listing-row").count()).to.equal(100);
    await page.getByTestId("more-listings").click();
    await page.getByTestId("listing-row").nth(199).waitFor();
    expect(await page.getByTestId("listing-row").count()).to.equal(200);
    // Sorted by trust on the indexer: ranks never go down the page.
    const ranks = await page
      .getByTestId("listing-row")
      .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute("data-trust"))));
    expect(ranks).to.deep.equal([...ranks].sort((a, b) => a - b));
    // A filter is one indexer query: the bulk seller's stablecoin listings, deepest discount first.
    await page.getByLabel("Pay with").selectOption(stablecoin);
    await page
      .getByTestId("listing-count")
      .filter({ hasText: ` of ${total} listings match` })
      .waitFor();
    console.log(`      market, ${total} listings through the indexer: first rows ${firstRows} ms after navigation`);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/market-1000.png` });
    await page.getByRole("button", { name: "Reset" }).click();
  });

  it("says how many blocks the indexer is behind while it catches up, and nothing once it has", async function () {
    await page.goto(stack.appUrl);
    await page.getByTestId("listing-row").first().waitFor();
    // Hundreds of blocks in a second: the indexer follows them one by one, and the market says how far behind it is.
    // (On a loaded machine the indexer, busy with them, can be too slow to answer the page's polls: the page then reads
    // the chain, where there is no lag to tell, until the indexer answers again. The test then mines another batch.)
    const lag = page.getByTestId("indexer-lag");
    let label: string | undefined;
    for (let attempt = 0; attempt < 3 && label === undefined; attempt++) {
      await page.getByTestId("market-source").waitFor({ state: "detached", timeout: 60_000 });
      for (let i = 0; i < 250; i++) await client.request({ method: "evm_mine" as never });
      label = await lag.innerText({ timeout: 30_000 }).catch(() => undefined);
    }
    expect(label).to.match(/^The market index is [\d,]+ blocks behind the chain/);
    // Caught up, the page reads through the indexer again and says nothing of a lag. (On a loaded machine a sync poll
    // can time out while the indexer works through the blocks: the page then reads the chain for a while, and comes
    // back on the next poll that answers, which may still be from before the catch-up: the label goes on the one after.)
    await stack.indexer!.caughtUp(120_000);
    await page.getByTestId("market-source").waitFor({ state: "detached", timeout: 30_000 });
    await lag.waitFor({ state: "detached", timeout: 30_000 });
    await page.getByTestId("listing-row").first().waitFor();
  });

  it("reads the chain when the indexer stops: the page says so and every listing is still there", async function () {
    await page.getByTestId("listing-row").first().waitFor();
    await stack.indexer!.stop();
    // The open page notices within a sync poll, without a reload.
    await page.getByTestId("market-source").waitFor({ timeout: 15_000 });
    await page
      .getByTestId("listing-count")
      .filter({ hasText: `${total} vouchers for sale` })
      .waitFor({ timeout: 60_000 });
    await page
      .getByTestId("listing-row")
      .nth(total - 1)
      .waitFor({ timeout: 60_000 });
    expect(await page.getByTestId("listing-row").count()).to.equal(total);
    expect(await page.getByTestId("indexer-lag").count()).to.equal(0);
  });
  describe("recyclers' standing offers, in Chinese on a 390 px phone", () => {
    let phone: Page;
    const PHONE = { width: 390, height: 844 };
    const wallet = (index: number) =>
      createWalletClient({
        account: mnemonicToAccount(MNEMONIC, { addressIndex: index }),
        chain: localChain(stack.rpcUrl),
        transport: http(stack.rpcUrl),
      });
    const kaquanAs = (index: number) => ({
      deployment: stack.deployment,
      publicClient: client,
      walletClient: wallet(index),
    });
    const phoneShot = async (name: string) => {
      if (!SHOTS) return;
      await phone.evaluate(() => window.scrollTo(0, 0));
      await phone.screenshot({ path: `${SHOTS}/zh-CN-390-${name}.png`, fullPage: true });
    };
    const phoneAccount = async (index: number) => {
      await phone.getByTestId("dev-account").selectOption(String(index));
      await phone.locator(`[data-testid="wallet"][data-address="${address(index)}"]`).waitFor();
    };

    before(async () => {
      const context = await browser.newContext({ locale: "zh-CN", viewport: PHONE, isMobile: true, hasTouch: true });
      phone = await context.newPage();
      phone.setDefaultTimeout(20_000);
      phone.on("pageerror", (error) => pageErrors.push(error.message));
      await phone.goto(`${stack.appUrl}#/sell`);
      await phone.getByTestId("connect-button").click();
      await phone.getByRole("menuitem", { name: /演示钱包/ }).click();
      await phoneAccount(IVY);
    });
    after(async () => {
      await phone?.context().close();
    });

    it("sells a batch into the best offers; a rate cut in front of the sale sells nothing and says so", async () => {
      const started = Date.now();
      const jackJd = stack.seed.offerIds.get("jack-jd")!;
      const section = phone.getByTestId("sell-now");
      await section.getByTestId("sell-now-row").first().waitFor();
      // Each card shows its best instant quote; Ivy's twelve JD cards and two Meituan vouchers have one.
      await section.getByTestId("sell-now-all").click();
      const plan = section.getByTestId("sell-now-plan");
      await plan.getByTestId("sale").first().waitFor();
      const jd = plan.locator(`[data-testid="sale"][data-offer="${jackJd}"]`);
      const jdCards = await jd.getByTestId("sale-card").count();
      expect(jdCards).to.be.at.least(11);
      // Eleven or more cards together earn Jack's +3 points; the JD card with 20 days left loses 5.
      const parts = await jd.getByTestId("rate-parts").allInnerTexts();
      expect(parts.every((p) => p.includes("批量加成 +3%"))).to.equal(true);
      expect(parts.some((p) => p.includes("临期调整 −5%"))).to.equal(true);
      expect(await plan.getByTestId("sell-now-coded").innerText()).to.contain("发送卡密");
      const shownTotal = await jd.getByTestId("sale-total").innerText();
      await phoneShot("sell-now");
      if (SHOTS) await phone.screenshot({ path: `${SHOTS}/zh-CN-390-sell-now-first-screen.png` });
      const width = await phone.evaluate(() => document.documentElement.scrollWidth);
      expect(width, "sell page width at 390 px").to.be.at.most(PHONE.width);

      // Jack cuts his JD rates while Ivy looks at the quote: the page keeps the quote she saw and says it changed.
      const offer = await getOffer({ deployment: stack.deployment, publicClient: client }, jackJd);
      const cut = {
        ...offer.schedule,
        tiers: offer.schedule.tiers.map((tier) => ({ ...tier, rateBps: tier.rateBps - 500 })),
      };
      await setOfferSchedule(kaquanAs(JACK), jackJd, cut);
      await plan.getByTestId("quote-changed").waitFor();
      expect(await jd.getByTestId("sale-total").innerText()).to.equal(shownTotal);
      const jdIds = (
        await jd.getByTestId("sale-card").evaluateAll((cards) => cards.map((c) => c.textContent ?? ""))
      ).map((text) => BigInt(/#(\d+)/.exec(text)![1]));
      // Selling at the quote she saw: the chain's quote is lower, nothing is signed, nothing sold.
      await plan.getByTestId("sell-now-button").click();
      await section.locator('.step[data-state="error"]', { hasText: "回收商刚刚调低了回收率" }).waitFor();
      for (const id of jdIds) expect(await ownerOf(id)).to.equal(address(IVY));
      await phoneShot("sell-now-rate-cut");

      // She looks at the new quote and sells at it.
      await plan.getByRole("button", { name: "看新报价" }).click();
      await plan.getByTestId("quote-changed").waitFor({ state: "detached" });
      const button = plan.getByTestId("sell-now-button");
      const receive = /到手 (.+)$/.exec(await button.innerText())![1];
      await button.click();
      const done = section.getByTestId("sell-now-done");
      await done.waitFor({ timeout: 60_000 });
      const said = await done.innerText();
      expect(said).to.match(/^已卖出 \d+ 张，到手 /);
      expect(said).to.contain(receive);
      for (const id of jdIds) expect(await ownerOf(id)).to.equal(stack.deployment.voucherExchange);
      await phoneShot("sell-now-done");
      console.log(`      batch sold into offers in ${Date.now() - started} ms`);
    });

    it("the seller delivers a coded card from the Wallet; the recycler agent checks and confirms it", async () => {
      const jackJd = stack.seed.offerIds.get("jack-jd")!;
      const sold = await client.getContractEvents({
        address: stack.deployment.voucherExchange,
        abi: voucherExchangeAbi,
        eventName: "SoldToOffer",
        args: { offerId: jackJd, seller: address(IVY) },
        fromBlock: BigInt(stack.deployment.startBlock),
      });
      const tradeId = sold.at(-1)!.args.tradeId!;
      expect((await trade(tradeId)).status).to.equal(Status.AwaitingDelivery);
      await phone.evaluate(() => (window.location.hash = "#/wallet?tab=selling"));
      const order = phone.locator(`[data-testid="selling"] [data-testid="order"][data-order="${tradeId}"]`);
      await order.locator('[data-action="deliver"]').click();
      await phone.locator(`[data-testid="selling"] [data-order="${tradeId}"][data-status="4"]`).waitFor();

      // Jack's recycler agent, as `npm start` runs it, on this stack.
      const stateDir = mkdtempSync(path.join(tmpdir(), "kaquan-e2e-recycler-"));
      const stop = new AbortController();
      const log: string[] = [];
      const agent = startRecyclerAgent({
        rpcUrl: stack.rpcUrl,
        account: String(JACK),
        deploymentsDir: stack.deploymentsDir,
        stateDir,
        pollMs: 200,
        signal: stop.signal,
        log: (line) => log.push(line),
      });
      try {
        const started = Date.now();
        while ((await trade(tradeId)).status === Status.Delivered && Date.now() - started < 30_000) {
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        console.log(`      recycler agent acted on order #${tradeId} ${Date.now() - started} ms after delivery`);
        expect((await trade(tradeId)).status, log.join("\n")).to.equal(Status.Completed);
        // Completed: the seller is paid; closed orders show with "show closed".
        await phone.evaluate(() => (window.location.hash = "#/wallet?tab=selling&closed=1"));
        await phone.locator(`[data-testid="selling"] [data-order="${tradeId}"][data-status="6"]`).waitFor();
        await phoneShot("wallet-offer-order-confirmed");
      } finally {
        stop.abort();
        await agent.catch(() => undefined);
        rmSync(stateDir, { recursive: true, force: true });
      }
    });

    it("the Recycler page posts, tops up and cancels an offer; cancelling returns exactly the budget left", async () => {
      const kcny = { address: stack.deployment.cnyStablecoin, abi: erc20Abi } as const;
      const balance = () => client.readContract({ ...kcny, functionName: "balanceOf", args: [address(CAROL)] });
      await phoneAccount(CAROL);
      await phone.evaluate(() => (window.location.hash = "#/recycler"));
      const form = phone.getByTestId("post-offer");
      await form.waitFor();
      // Leo has no kCNY yet: the faucet next to the button.
      await form.getByTestId("faucet-kCNY").click();
      await form.getByText("余额 ¥1,000.00").waitFor();
      await form.getByTestId("offer-brand").selectOption("1");
      // Bad input is refused in the form before any signature.
      const editor = form.getByTestId("schedule-editor");
      await editor.getByLabel("第 2 档面值上限").fill("20");
      await form.getByTestId("offer-budget").fill("");
      await form.getByTestId("post-offer-button").click();
      await form.getByText("每档的面值上限须高于上一档。").waitFor();
      await form.getByText("请填写预算。").waitFor();
      expect(await form.locator(".step").count()).to.equal(0);
      await editor.getByLabel("第 2 档面值上限").fill("200");
      await form.getByTestId("offer-budget").fill("500");
      expect(await form.getByTestId("offer-unit-price").inputValue()).to.equal("1");
      await form.getByTestId("offer-preview").waitFor();
      await phoneShot("recycler-post");
      const before = await balance();
      await form.getByTestId("post-offer-button").click();
      const posted = form.getByTestId("offer-posted");
      await posted.waitFor({ timeout: 60_000 });
      const id = /#(\d+)/.exec(await posted.innerText())![1];
      expect(await balance()).to.equal(before - 500_000_000n);

      const card = phone.locator(`[data-testid="my-offer"][data-offer="${id}"]`);
      await card.waitFor();
      await card.locator('[data-action="topup"]').click();
      await card.getByTestId("topup-amount").fill("250.5");
      await card.locator('[data-action="topup-confirm"]').click();
      await card.getByTestId("offer-budget-left").filter({ hasText: "¥750.50" }).waitFor();
      await phoneShot("recycler-offers");

      await card.locator('[data-action="cancel-offer"]').click();
      expect(await card.getByTestId("cancel-refund").innerText()).to.contain("¥750.50");
      const beforeCancel = await balance();
      await card.locator('[data-action="cancel-offer-confirm"]').click();
      await phone.locator(`[data-testid="my-offer"][data-offer="${id}"][data-state="closed"]`).waitFor();
      expect(await balance()).to.equal(beforeCancel + 750_500_000n);
      await phoneShot("recycler-cancelled");
    });

    it("the market's brand comparison shows the best offer beside the best ask", async () => {
      await phone.evaluate(() => (window.location.hash = "#/market"));
      const best = phone.getByTestId("brand-comparison").getByTestId("best-offer").first();
      await best.waitFor();
      expect(await best.innerText()).to.match(/回收率 \d+(\.\d+)?%\n¥[\d.]+ 卡收 ¥[\d,.]+/);
      await phone.getByTestId("comparison").scrollIntoViewIfNeeded();
      if (SHOTS) await phone.screenshot({ path: `${SHOTS}/zh-CN-390-market-comparison.png` });
    });
  });
});
