/**
 * IAM returns policy documents URL-encoded (RFC 3986) inside its XML responses. Decode and parse them; a
 * document that still is not JSON throws, so a garbled policy never reads as "grants nothing".
 */
export function decodePolicyDocument(document: string | undefined): unknown {
  if (document === undefined || document === '') return null;
  const trimmed = document.trim();
  // Already-decoded JSON (some endpoints and emulators) starts with '{'; URL-encoded JSON starts with '%7B'.
  const json = trimmed.startsWith('{') ? trimmed : decodeURIComponent(trimmed);
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw new Error(`policy document is not valid JSON after URL-decoding: ${json.slice(0, 80)}`);
  }
}
