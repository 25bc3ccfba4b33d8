/**
 * Loading a part of the program that the command line keeps in a file of its own beside
 * cli.js (the Anthropic SDK in anthropic.js, the MIME parser in mime.js: scripts/cli-bundle.mjs).
 * A missing file is a broken installation, and says so with the file's name instead of Node's
 * "Cannot find module". (In the plugin every part is inside main.js, so this never fails there.)
 */
export class MissingPartError extends Error {
	constructor(readonly file: string) {
		super(`the installation is incomplete: ${file} is missing beside the program (reinstall it, or rebuild it with npm run build)`);
	}
}

export async function loadPart<T>(file: string, load: () => Promise<T>): Promise<T> {
	try {
		return await load();
	} catch (error) {
		const code = (error as { code?: unknown } | null)?.code;
		if (code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") throw new MissingPartError(file);
		throw error;
	}
}
