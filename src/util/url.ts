/**
 * A URL as it may be shown: without userinfo, query or fragment, which is where
 * credentials and tokens ride (`https://user:secret@host/jwks?key=…`). Text that does not
 * parse as a URL is not shown at all.
 */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return '(a URL that does not parse)';
  }
  const hidden = url.username || url.password || url.search || url.hash ? ' (credentials, query and fragment not shown)' : '';
  return `${url.protocol}//${url.host}${url.pathname === '/' && !/\/$/.test(text.split(/[?#]/)[0]!) ? '' : url.pathname}${hidden}`;
}
