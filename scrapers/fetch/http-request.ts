import got from 'got';

/** One HTTP exchange as the fetcher sees it: the final response after redirects, body in full. */
export interface HttpResponse {
  status: number;
  /** Lower-case header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** The URL that answered, after redirects. */
  finalUrl: string;
  redirects: string[];
}

export interface HttpRequestOptions {
  headers: Record<string, string>;
  /** Milliseconds until the response headers arrive, and for the whole exchange. */
  timeoutMs: number;
  /** Largest decoded body accepted; enforced while streaming, so a huge body is never held. */
  maxBytes: number;
  maxRedirects: number;
  signal?: AbortSignal;
}

/** The body passed `maxBytes`; the transfer was cut off at that point. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  readonly limit: number;
  readonly declared: number | undefined;
  constructor(limit: number, declared?: number) {
    super(
      declared === undefined
        ? `the body grew past the limit of ${limit} bytes`
        : `the server announced ${declared} bytes, over the limit of ${limit} bytes`,
    );
    this.limit = limit;
    this.declared = declared;
  }
}

/**
 * Performs a single GET with got: no retries (the caller decides those), redirects followed up to
 * `maxRedirects`, gzip/brotli decoded, and non-2xx statuses returned rather than thrown. Network
 * failures, timeouts, redirect loops and over-long bodies reject with got's errors or
 * {@link BodyTooLargeError}.
 */
export async function httpGet(url: string, options: HttpRequestOptions): Promise<HttpResponse> {
  const stream = got.stream(url, {
    headers: options.headers,
    timeout: { response: options.timeoutMs, request: options.timeoutMs * 2 },
    retry: { limit: 0 },
    followRedirect: true,
    maxRedirects: options.maxRedirects,
    throwHttpErrors: false,
    decompress: true,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let response:
    | {
        statusCode: number;
        headers: Record<string, string | string[] | undefined>;
        url: string;
        redirectUrls: URL[];
      }
    | undefined;
  stream.on('response', (res) => {
    response = res;
    const declared = Number(res.headers['content-length']);
    // A compressed body's length says nothing about its decoded size, so only plain bodies are
    // refused before any byte is read.
    if (!res.headers['content-encoding'] && Number.isFinite(declared) && declared > options.maxBytes) {
      stream.destroy(new BodyTooLargeError(options.maxBytes, declared));
    }
  });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > options.maxBytes) {
      stream.destroy();
      throw new BodyTooLargeError(options.maxBytes);
    }
    chunks.push(chunk as Buffer);
  }
  if (!response) throw new Error(`no response from ${url}`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    status: response.statusCode,
    headers,
    body: Buffer.concat(chunks),
    finalUrl: response.url,
    redirects: response.redirectUrls.map(String),
  };
}
