/** `[[path|display]]` for a vault path, the display left out when it adds nothing. */
export function wikilink(path: string, display: string): string {
	const target = path.replace(/\.md$/, "");
	const label = display.replace(/[[\]|\r\n]/g, " ").replace(/\s+/g, " ").trim();
	return label && label !== target ? `[[${target}|${label}]]` : `[[${target}]]`;
}
