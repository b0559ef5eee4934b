import { es256 } from './example-material.js';
import { placementReport, UNUSABLE_MESSAGE } from './placement.js';
import type { Rule } from './types.js';

export const tokenInUrl: Rule = {
  meta: {
    id: 'token-in-url',
    description: 'A JWT in a URL query or fragment parameter (?token=, access_token=, id_token=, ...).',
    defaultSeverity: 'error',
    securitySeverity: 7.0,
    help: [
      'Tokens in URLs end up in proxy and server logs, browser history, bookmarks and Referer headers (RFC 6750 5.3; OAuth 2.0 Security BCP).',
      '',
      '**What to do:** send tokens in the `Authorization: Bearer` header or a POST body, and revoke any token that travelled in a URL.',
    ].join('\n'),
    placement: true,
    messages: {
      unusable: UNUSABLE_MESSAGE,
      inUrl: "{token} travels in the URL parameter '{parameter}'{expiry}: URLs end up in logs, history and Referer headers. Send tokens in the Authorization header or a POST body.",
    },
  },
  check({ facts, artifact, unit, severity, now }) {
    if (facts.kind !== 'token' || artifact.urlParameter === undefined || unit.kind === 'input') return [];
    return [placementReport(facts, severity, now, 'inUrl', { parameter: artifact.urlParameter })];
  },
  examples: {
    valid: [
      { name: 'a token after a key= that is not a URL', text: async () => `token=${await es256()}` },
      { name: 'a token in an Authorization header', text: async () => `Authorization: Bearer ${await es256()}` },
      { name: 'a token in a form body, which is not a URL', text: async () => `grant_type=jwt-bearer&assertion=${await es256()}` },
      { name: 'a token after a template variable that is not a base URL', text: async () => `\${prefix}?token=${await es256()}` },
    ],
    invalid: [
      { name: 'a fragment access_token', text: async () => `https://app.example.test/callback#access_token=${await es256()}&state=1`, messageId: 'inUrl' },
      { name: 'a query token on a path', text: async () => `GET /download?token=${await es256()} HTTP/1.1`, kind: 'log', messageId: 'inUrl' },
      { name: 'a relative callback path', text: async () => `fetch('/v1/callback?jwt=${await es256()}')`, messageId: 'inUrl' },
      { name: 'a Postman request on a template base URL', text: async () => `{"request": {"url": {"raw": "{{baseUrl}}/v1/users?access_token=${await es256()}"}}}`, messageId: 'inUrl' },
      { name: 'an .http file request on an environment base URL', text: async () => `GET $BASE_URL/api/me?token=${await es256()}\nAccept: application/json\n`, messageId: 'inUrl' },
      { name: 'the uri field of an access log', text: async () => `ts=2026-12-01T10:00:00Z method=GET uri=/oauth/cb?id_token=${await es256()} status=200`, kind: 'log', messageId: 'inUrl' },
    ],
  },
};
