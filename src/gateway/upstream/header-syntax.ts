// What may be sent as a header field (RFC 9110 §5.1, §5.5): names are tokens, values carry no CR,
// LF, NUL or other control characters, so nothing a policy computes can split a request.
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const badValue = /[^\t\x20-\x7e\x80-\xff]/;

export function isHeaderName(name: string): boolean {
  return token.test(name);
}

export function isHeaderValue(value: string): boolean {
  return !badValue.test(value);
}
