/** A `mailto:` link that opens the reply in the user's mail app, with To, Subject and body. */
export function mailtoUrl(to: string, subject: string, body: string, cc: string[] = []): string {
	// RFC 6068: percent-encode everything; line breaks as CRLF.
	const enc = (s: string): string => encodeURIComponent(s).replace(/'/g, "%27");
	const crlf = body.replace(/\r?\n/g, "\r\n");
	const ccPart = cc.length ? `&cc=${cc.map(enc).join(",")}` : "";
	return `mailto:${to.split(/\s*,\s*/).map(enc).join(",")}?subject=${enc(subject)}${ccPart}&body=${enc(crlf)}`;
}
