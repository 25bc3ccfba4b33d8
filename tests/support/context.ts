import type { VaultContext } from "../../src/context/build";

/** A context with nothing found, for tests of what is built on top of one. */
export function emptyContext(over: Partial<VaultContext> = {}, timeZone = "UTC"): VaultContext {
	return {
		people: [],
		organizations: [],
		interactions: [],
		items: [],
		omitted: [],
		markdown: "",
		promptMarkdown: "",
		tokens: 0,
		audience: { recipients: [], ownOrganization: null, organizations: [], internalOnly: false, text: "" },
		time: { timeZone, today: "", todayText: "", emailDateSender: null, emailDateLocal: null, relativeDates: [], text: "" },
		commitments: [],
		heldBack: [],
		...over,
	};
}
