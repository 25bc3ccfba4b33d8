// Keeps manifest.json, package.json and versions.json in step.
// Usage: `npm version patch|minor|major` (npm bumps package.json and runs this), or
// `node scripts/version-bump.mjs 1.2.3` to set a version directly.
import { readFileSync, writeFileSync } from "fs";

const target = process.argv[2] ?? process.env.npm_package_version;
if (!target || !/^\d+\.\d+\.\d+$/.test(target)) {
	console.error("version-bump: give a version such as 1.2.3");
	process.exit(2);
}

const read = (file) => JSON.parse(readFileSync(file, "utf8"));
const write = (file, data, indent) => writeFileSync(file, JSON.stringify(data, null, indent) + "\n");

const manifest = read("manifest.json");
manifest.version = target;
write("manifest.json", manifest, "\t");

const pkg = read("package.json");
if (pkg.version !== target) {
	pkg.version = target;
	write("package.json", pkg, 2);
}

const versions = read("versions.json");
versions[target] = manifest.minAppVersion;
write("versions.json", versions, "\t");
process.stdout.write(`version ${target} (minAppVersion ${manifest.minAppVersion})\n`);
