/** Decoding VoucherToken's fully on-chain tokenURI (base64 JSON with a base64 SVG image). Pure. */

export interface VoucherMetadata {
  name: string;
  description: string;
  /** A data: URI an <img> can show directly. */
  image: string;
  attributes: { trait_type: string; value: string | number }[];
}

function base64ToUtf8(base64: string): string {
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

const JSON_PREFIX = "data:application/json;base64,";

/** Parses a `data:application/json;base64,` tokenURI; throws on anything else (there is no server to fall back on). */
export function decodeTokenUri(uri: string): VoucherMetadata {
  if (!uri.startsWith(JSON_PREFIX)) throw new Error("tokenURI is not on-chain base64 JSON");
  const metadata = JSON.parse(base64ToUtf8(uri.slice(JSON_PREFIX.length))) as VoucherMetadata;
  if (!metadata.image?.startsWith("data:image/svg+xml;base64,")) throw new Error("tokenURI image is not an SVG");
  return metadata;
}
