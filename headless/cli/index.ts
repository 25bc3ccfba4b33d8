import { runCli } from "./run";

void runCli(process.argv.slice(2), {
	stdout: (text) => process.stdout.write(text),
	stderr: (text) => process.stderr.write(text),
	env: process.env,
	stderrIsTTY: process.stderr.isTTY,
}).then((code) => {
	process.exitCode = code;
});
