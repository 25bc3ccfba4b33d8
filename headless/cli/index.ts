import { setFlagsFromString } from "v8";

// A run lasts a second or less and meets most of its regular expressions (the email parser's
// hundreds of patterns, in a dozen languages) only a few times. By default V8 compiles each to
// bytecode first and compiles it again to machine code on its second use: for these patterns
// that is two expensive compilations instead of one (a third of the time an email takes to
// parse). Matching is the same either way; only when the compiling happens changes. Set before
// the engine is loaded, so that no pattern has been compiled yet.
setFlagsFromString("--no-regexp-tier-up");

void import("./run").then(({ runCli }) =>
	runCli(process.argv.slice(2), {
		stdout: (text) => process.stdout.write(text),
		stderr: (text) => process.stderr.write(text),
		env: process.env,
		stderrIsTTY: process.stderr.isTTY,
	}).then((code) => {
		process.exitCode = code;
	}),
);
