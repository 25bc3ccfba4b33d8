/**
 * The community directory's scan, as it runs: eslint-plugin-obsidianmd's recommended config,
 * nothing added and no rule changed, over every source file in the repository (the scan reads
 * all of it, not only what main.js is built from; see the README's development section). Left
 * out is only what is not source (dependencies, build output); TypeScript files get the
 * program the config's type-aware rules need. `npm run lint:scan`.
 */
import { defineConfig, globalIgnores } from "eslint/config";
import obsidianmd from "eslint-plugin-obsidianmd";

export default defineConfig([
	globalIgnores(["node_modules/", "main.js", "dist/", "coverage/", ".demo-vault/", ".bench/", ".bundle-check/"]),
	...obsidianmd.configs.recommended,
	{
		files: ["**/*.ts"],
		languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
	},
]);
