import { defineConfig, globalIgnores } from "eslint/config";
import obsidianmd from "eslint-plugin-obsidianmd";
import tseslint from "typescript-eslint";
import globals from "globals";

export default defineConfig([
	globalIgnores(["node_modules/", "main.js", "dist/", "coverage/", ".demo-vault/", ".bench/", "examples/", "esbuild.config.mjs", "scripts/", "jest.config.cjs", "tests/support/*.cjs"]),
	...obsidianmd.configs.recommended,
	{
		languageOptions: {
			parserOptions: {
				projectService: {
					allowDefaultProject: ["eslint.config.mjs", "eslint.scan.config.mjs"],
				},
				tsconfigRootDir: import.meta.dirname,
			},
		},
	},
	{
		// The plugin manifest is only checked when named explicitly; TypeScript's parser reads JSON.
		files: ["manifest.json"],
		languageOptions: { parser: tseslint.parser, parserOptions: { projectService: false, project: null } },
		plugins: { obsidianmd },
		rules: { "obsidianmd/validate-manifest": "error" },
	},
	{
		// Not plugin code: the headless host, the CLI, tests and the bench run on Node.
		files: ["headless/**/*.ts", "tests/**/*.ts", "bench/**/*.ts"],
		languageOptions: { globals: { ...globals.node } },
		rules: {
			"obsidianmd/no-nodejs-modules": "off",
			"import/no-nodejs-modules": "off",
			// The CLI reads a vault folder directly, where Obsidian's configDir is not available.
			"obsidianmd/hardcoded-config-path": "off",
			// Node has fetch and no requestUrl (the rule's advice is for plugin code).
			"no-restricted-globals": "off",
		},
	},
	{
		files: ["tests/**/*.ts", "bench/**/*.ts"],
		languageOptions: { globals: { ...globals.jest } },
		// Tests and the bench run in Node against the headless host, not in Obsidian's window.
		rules: {
			"no-console": "off",
			"obsidianmd/rule-custom-message": "off",
			"obsidianmd/prefer-window-timers": "off",
			"obsidianmd/no-tfile-tfolder-cast": "off",
			"obsidianmd/prefer-create-el": "off",
			"no-restricted-globals": "off",
			"obsidianmd/no-global-this": "off",
		},
	},
]);
