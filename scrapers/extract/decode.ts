import { ResultType, Sniffer } from 'encoding-sniffer/sniffer';
import iconv from 'iconv-lite';

/** How the character encoding was decided, in the order the WHATWG encoding sniffing algorithm uses. */
export type EncodingSource = 'bom' | 'content-type' | 'meta' | 'sniffed' | 'default';

export interface DecodedText {
  text: string;
  /** WHATWG encoding name, e.g. `utf-8`, `windows-1252`. */
  encoding: string;
  source: EncodingSource;
  /** Where the declared encoding was contradicted by the bytes and overridden. */
  warnings: string[];
}

const singleByte = new Set(['windows-1252', 'iso-8859-1', 'iso-8859-15', 'us-ascii']);

/**
 * Decodes a response body to text. Order: byte-order mark, the Content-Type charset, a
 * `<meta charset>` (or XML declaration) in the first 1 KiB, and otherwise UTF-8 if the bytes are
 * valid UTF-8, else windows-1252 (the web's default).
 *
 * Servers lie about charsets. When the declared encoding is UTF-8 but the bytes are not valid
 * UTF-8, the text is decoded as windows-1252; when a single-byte encoding is declared but the
 * bytes are valid UTF-8 containing multi-byte sequences (practically never true of real
 * Latin-1 text), UTF-8 is used. Each override is reported in `warnings`.
 */
export function decodeBody(body: Uint8Array, contentType?: string): DecodedText {
  const transport = contentType ? /charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1] : undefined;
  const sniffer = new Sniffer({
    maxBytes: 1024,
    ...(transport ? { transportLayerEncodingLabel: transport } : {}),
  });
  sniffer.write(body);
  let encoding = sniffer.encoding.toLowerCase();
  let source = sourceOf(sniffer.resultType);
  const warnings: string[] = [];
  const validUtf8 = isValidUtf8(body);
  if (source === 'default') {
    if (validUtf8) {
      encoding = 'utf-8';
      source = 'sniffed';
    }
  } else if (source !== 'bom') {
    if (encoding === 'utf-8' && !validUtf8) {
      warnings.push(`declared utf-8 (${source}) but the bytes are not valid UTF-8; decoded as windows-1252`);
      encoding = 'windows-1252';
    } else if (singleByte.has(encoding) && validUtf8 && hasMultiByte(body)) {
      warnings.push(`declared ${encoding} (${source}) but the bytes are valid UTF-8; decoded as utf-8`);
      encoding = 'utf-8';
    }
  }
  return { text: iconv.decode(Buffer.from(body), encoding), encoding, source, warnings };
}

function sourceOf(type: ResultType): EncodingSource {
  switch (type) {
    case ResultType.BOM:
    case ResultType.XML_PREFIX:
      return 'bom';
    case ResultType.PASSED:
      return 'content-type';
    case ResultType.META_TAG:
    case ResultType.XML_ENCODING:
      return 'meta';
    default:
      return 'default';
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function hasMultiByte(bytes: Uint8Array): boolean {
  return bytes.some((byte) => byte >= 0x80);
}
