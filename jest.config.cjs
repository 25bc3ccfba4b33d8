/** Jest runs in Node (the Anthropic SDK does not import under jsdom); `obsidian` maps to a stub. */
module.exports = {
	testEnvironment: "node",
	roots: ["<rootDir>/tests"],
	testMatch: ["**/*.test.ts"],
	transform: {
		"^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json" }],
	},
	moduleNameMapper: {
		"^obsidian$": "<rootDir>/tests/support/obsidian-stub.ts",
	},
	setupFiles: ["<rootDir>/tests/support/setupYaml.ts"],
	testTimeout: 20000,
	reporters: ["default", "<rootDir>/tests/support/summaryReporter.cjs"],
};
