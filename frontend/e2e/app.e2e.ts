/**
 * Kaquan in real Chromium against a real Hardhat node: the project's deploy and demo seed, the Vite dev server, and
 * the built-in dev wallet signing locally. Flows: the market lists what `activeListings` returns; an issuer-backed
 * voucher bought in ETH settles at once; a coded voucher is bought, delivered by its seller, revealed and checked by
 * the buyer, confirmed; the arbiter verifies a dispute's evidence and refunds; bad input never reaches the wallet.
 * Screenshots go to /tmp/kaquan-shots/.
 */
import { expect } from "chai";
import { mkdirSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { createPublicClient, http, type PublicClient } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { voucherExchangeAbi, voucherTokenAbi } from "../src/generated/contracts.ts";
import { deriveKeyPair, keyMessage, toBytes32 } from "../src/lib/codeDelivery.ts";
import { formatTokenExact } from "../src/lib/format.ts";
import { startStack, type Stack } from "./harness.ts";

const SHOTS = "/tmp/kaquan-shots";
const MNEMONIC = "test test test test test test test test test test test junk";
const ETH = { symbol: "ETH", decimals: 18 };
const FEE_BPS = 200n;
const ALICE = 3; // seller of coded cards (no delivery agent runs in this test)
const BOB = 4; // buyer
const JUDGE = 2; // arbiter
const HENRY = 10; // issuer, sells issuer-backed vouchers
const address = (index: number) => mnemonicToAccount(MNEMONIC, { addressIndex: index }).address;

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
  const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  const open = async (hash: string) => {
    await page.evaluate((h) => (window.location.hash = h), hash);
  };
  const useAccount = async (index: number) => {
    await page.getByTestId("dev-account").selectOption(String(index));
    await page.locator(`[data-testid="wallet"][data-address="${address(index)}"]`).waitFor();
  };

  before(async function () {
    this.timeout(600_000); // the compile waits for the shared Hardhat lock when other suites run
    mkdirSync(SHOTS, { recursive: true });
    stack = await startStack({ nodePort: 8610, vitePort: 5180 });
    client = createPublicClient({ transport: http(stack.rpcUrl) });
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.setDefaultTimeout(20_000);
    page.on("pageerror", (error) => pageErrors.push(error.message));
    console.log(`      stack up: ${JSON.stringify(stack.timings)} (ms)`);
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  afterEach(() => {
    expect(pageErrors, "uncaught errors in the page").to.deep.equal([]);
  });

  it("shows every active listing that activeListings returns, with the brand comparison", async () => {
    const listings = await client.readContract({
      address: stack.deployment.voucherExchange,
      abi: voucherExchangeAbi,
      functionName: "activeListings",
      args: [1n, 1000n],
    });
    const started = Date.now();
    await page.goto(stack.appUrl);
    await page.getByTestId("listing-row").first().waitFor();
    const elapsed = Date.now() - started;
    expect(await page.getByTestId("listing-row").count()).to.equal(listings.length);
    expect(await page.getByTestId("listing-count").innerText()).to.equal(`${listings.length} active listings`);
    expect(await page.getByTestId("brand-comparison").locator("tbody tr").count()).to.be.greaterThan(5);
    // The default sort is by discount: the first row's discount is the largest one shown.
    const discounts = await page.locator('[data-testid="listing-row"] td:nth-child(4)').allInnerTexts();
    const values = discounts.map((d) => Number(d.replace("−", "").replace("%", "")));
    expect(values).to.deep.equal([...values].sort((a, b) => b - a));
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
    const fee = (price * FEE_BPS) / 10_000n;

    await open(`#/voucher/${id}`);
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.getByRole("menuitem", { name: /Dev wallet/ }).click();
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
    expect((await trade(listing)).status).to.equal(6); // Completed
    expect(await ownerOf(id)).to.equal(address(BOB));
    // The seller is paid price - fee in the same transaction (Henry sent nothing, so the delta is exact).
    expect((await client.getBalance({ address: address(HENRY) })) - henryBefore).to.equal(price - fee);

    await open("#/wallet");
    await page.locator(`[data-testid="my-voucher"][data-token="${id}"]`).waitFor();
  });

  it("buys a coded voucher; the seller delivers; the buyer reveals a code matching the commitment and confirms", async () => {
    const id = tokenId("alice-jd500-d");
    const order = listingId("alice-jd500-d");
    const { price } = await trade(order);
    const fee = (price * FEE_BPS) / 10_000n;

    await open(`#/voucher/${id}`);
    await page.getByTestId("buy-button").click();
    await page.getByTestId("buy-success").waitFor();
    expect((await trade(order)).status).to.equal(3); // AwaitingDelivery
    // The buyer key is the one Bob's key re-derives from the same signature on any device.
    const signature = await mnemonicToAccount(MNEMONIC, { addressIndex: BOB }).signMessage({
      message: keyMessage(31337, stack.deployment.voucherExchange, `order:${order}`),
    });
    const [purchase] = await client.getContractEvents({
      address: stack.deployment.voucherExchange,
      abi: voucherExchangeAbi,
      eventName: "Purchased",
      args: { orderId: order },
      fromBlock: BigInt(stack.deployment.startBlock),
    });
    expect(purchase.args.buyerKey).to.equal(toBytes32(deriveKeyPair(signature).publicKey));

    await useAccount(ALICE);
    await open("#/wallet");
    const selling = page.locator(`[data-testid="selling"] [data-testid="order"][data-order="${order}"]`);
    await selling.locator('[data-action="deliver"]').click();
    await page.locator(`[data-testid="selling"] [data-order="${order}"][data-status="4"]`).waitFor();
    expect((await trade(order)).status).to.equal(4); // Delivered

    await useAccount(BOB);
    const buying = page.locator(`[data-testid="buying"] [data-testid="order"][data-order="${order}"]`);
    await buying.locator('[data-action="reveal"]').click();
    await buying.getByTestId("reveal-button").click();
    const result = buying.getByTestId("reveal-result");
    await result.waitFor();
    expect(await result.getAttribute("data-match")).to.equal("yes");
    expect(await buying.getByTestId("revealed-code").innerText()).to.equal(stack.seed.codes.get("alice-jd500-d"));
    await shot("wallet-revealed");

    const aliceBefore = await client.getBalance({ address: address(ALICE) });
    await buying.locator('[data-action="confirm"]').click();
    await page.locator(`[data-testid="my-voucher"][data-token="${id}"]`).waitFor();
    expect((await trade(order)).status).to.equal(6); // Completed
    expect(await ownerOf(id)).to.equal(address(BOB));
    expect((await client.getBalance({ address: address(ALICE) })) - aliceBefore).to.equal(price - fee);
  });

  it("lets the arbiter verify a dispute's evidence in the browser and refund the buyer", async () => {
    const order = stack.seed.orderIds.get("dispute")!;
    await useAccount(JUDGE);
    await open("#/arbiter");
    const card = page.locator(`[data-testid="dispute"][data-order="${order}"]`);
    await card.waitFor();
    // The seed's seller delivered a wrong code: the published key is the buyer's, the code is not the committed one.
    expect(await card.getByTestId("key-matches").innerText()).to.equal("yes");
    expect(await card.getByTestId("delivered").innerText()).to.equal("yes");
    expect(await card.getByTestId("code-matches").innerText()).to.equal("no");
    await shot("arbiter");

    await card.locator('[data-action="refund"]').click();
    await card.waitFor({ state: "detached" });
    expect((await trade(order)).status).to.equal(7); // Refunded
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
      "Card code is required.",
    ]);
    await mint.getByLabel("Face value").fill("12.345");
    await page.getByTestId("mint-button").click();
    expect(await mint.locator(".field-message").nth(1).innerText()).to.equal(
      "Face value can have at most 2 decimal places.",
    );
    expect(await page.locator(".steps").count()).to.equal(0);
    expect(await page.locator(".toast", { hasText: "Mint" }).count()).to.equal(0);
    const mintedAfter = await client.readContract({
      address: stack.deployment.voucherToken,
      abi: voucherTokenAbi,
      functionName: "totalMinted",
    });
    expect(mintedAfter).to.equal(mintedBefore);
    await shot("sell-validation");
  });
});
