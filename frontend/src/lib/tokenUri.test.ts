import { expect } from "chai";
import { decodeTokenUri } from "./tokenUri.ts";

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

describe("tokenUri", () => {
  // Shaped exactly like VoucherToken.tokenURI: base64 JSON whose image is a base64 SVG; brand text may be UTF-8.
  const svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>京东 E卡</text></svg>';
  const json =
    '{"name":"京东 E卡 500.00 CNY #7","description":"Kaquan voucher: Coded e-commerce card.",' +
    `"image":"data:image/svg+xml;base64,${b64(svg)}",` +
    '"attributes":[{"trait_type":"Brand","value":"京东 E卡"},{"trait_type":"Face value","display_type":"number","value":50000}]}';

  it("decodes the on-chain JSON, keeping UTF-8 brand names", () => {
    const metadata = decodeTokenUri(`data:application/json;base64,${b64(json)}`);
    expect(metadata.name).to.equal("京东 E卡 500.00 CNY #7");
    expect(metadata.attributes[1]).to.deep.equal({ trait_type: "Face value", display_type: "number", value: 50000 });
    expect(Buffer.from(metadata.image.split(",")[1], "base64").toString("utf8")).to.equal(svg);
  });

  it("refuses anything that is not on-chain base64 JSON with an SVG", () => {
    expect(() => decodeTokenUri("ipfs://Qm123")).to.throw("tokenURI is not on-chain base64 JSON");
    const remote = b64('{"name":"x","image":"https://example.com/x.png","attributes":[]}');
    expect(() => decodeTokenUri(`data:application/json;base64,${remote}`)).to.throw("tokenURI image is not an SVG");
  });
});
