/**
 * main.js's stand-in for the SDK's `resources/messages/batches.mjs`. The Messages resource
 * attaches `messages.batches`, but the plugin never sends a batch (src/draft/batch.ts drafts a
 * folder with ordinary Messages requests), so every method here throws instead of sending a request.
 * Loaded in place of the SDK file (scripts/bundle-plugins.mjs); `../../core/resource.mjs`
 * resolves from there.
 */
import { APIResource } from "../../core/resource.mjs";

const unreachable = (what) => () => {
	throw new Error(`Email Reply Drafter's build left out the Message Batches API (messages.batches.${what}).`);
};

export class Batches extends APIResource {}
for (const method of ["create", "retrieve", "list", "delete", "cancel", "results"]) {
	Batches.prototype[method] = unreachable(method);
}
