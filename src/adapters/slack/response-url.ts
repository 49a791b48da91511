/**
 * Posts a click's private reply to its `response_url`. Bolt's `respond` does the same through the global `fetch`,
 * which cost about 1.4 ms of CPU per post in the first-contact bench (1,000 clicks: a third of the bot's thread;
 * docs/first-contact.md); `node:http(s)` with a keep-alive agent costs a fraction of it. A burst shares at most
 * `maxSockets` connections per host (each new one is a TLS handshake on the real Slack) and queues the rest. Throws
 * on any answer but 2xx, as `respond` does, so the caller can fall back to `chat.postEphemeral`.
 */
import http from 'node:http';
import https from 'node:https';

const maxSockets = 32;
const timeoutMs = 10_000;
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets }),
  'https:': new https.Agent({ keepAlive: true, maxSockets }),
} as const;

export function postToResponseUrl(url: string, message: Readonly<Record<string, unknown>>): Promise<void> {
  const target = new URL(url);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    return Promise.reject(new Error(`response_url: unsupported protocol ${target.protocol}`));
  }
  const body = JSON.stringify(message);
  const secure = target.protocol === 'https:';
  const send = secure ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const request = send(
      target,
      {
        method: 'POST',
        agent: secure ? agents['https:'] : agents['http:'],
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (response) => {
        response.resume();
        response.on('error', reject);
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new Error(`response_url answered ${status}`));
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`response_url: no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
