/**
 * The one way a URL or connection string is shown (logs, errors, manifests, the run's output):
 * without its user info (a password) and with signature-like query values masked (a presigned
 * URL's X-Amz-Signature and X-Amz-Security-Token, a SAS `sig`, an API `key`). Whatever the text
 * is, a URL that does not parse or a scheme we do not support, nothing secret in it is printed.
 */

/** Query parameters whose values are credentials, or let someone replay a signed request. */
const SECRET_PARAMETER = /sig|signature|token|key|credential|secret|auth|policy|expires|password|pwd/i;

export function displayUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return maskUnparsable(url);
  }
  parsed.username = '';
  parsed.password = '';
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAMETER.test(name)) parsed.searchParams.set(name, '***');
  }
  return parsed.href;
}

/**
 * A text that is not a valid URL (a bad host, a stray bracket) may still carry a password or a
 * signature: they are found by how a URL spells them. Everything from `://` to the last `@` goes
 * (a password may hold any character), and so does every secret-like query value.
 */
function maskUnparsable(text: string): string {
  return text
    .replace(/^([a-z][a-z0-9+.-]*:\/\/).*@/is, '$1***@')
    .replace(/([?&;])([^=&#;]*)=([^&#;]*)/g, (whole, separator: string, name: string) => (SECRET_PARAMETER.test(name) ? `${separator}${name}=***` : whole));
}
