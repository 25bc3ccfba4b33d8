/**
 * The headless host's YAML: the `yaml` package, set up as the engine expects it (Node only;
 * in Obsidian the plugin provides the app's parseYaml/stringifyYaml instead). Importing this
 * module provides it.
 */
import { parse, stringify } from "yaml";
import { provideYaml, type YamlSlice } from "../src/host/slice";

export const packageYaml: YamlSlice = {
	// Duplicate keys keep the last value instead of failing the whole frontmatter.
	parse: (text) => parse(text, { prettyErrors: false, uniqueKeys: false }) as unknown,
	// No folding: a long subject stays on one line.
	stringify: (value) => stringify(value, { lineWidth: 0 }),
};

provideYaml(packageYaml);
