/**
 * The part of the Anthropic SDK the plugin uses: the SDK's base client (requests, retries,
 * streaming, the error classes as statics) with only the Messages and Models resources.
 * The package's default `Anthropic` client also attaches beta, files, skills, organization and
 * the tool runners, which would more than double main.js; importing the base client and
 * the two resources lets the bundler leave them out.
 */
import { BaseAnthropic, type ClientOptions } from "@anthropic-ai/sdk/client";
import { Messages } from "@anthropic-ai/sdk/resources/messages/messages";
import { Models } from "@anthropic-ai/sdk/resources/models";

export type { ClientOptions };
export type { Message, MessageCreateParamsNonStreaming, TextBlock, Usage as ApiUsage } from "@anthropic-ai/sdk/resources/messages/messages";

export class Anthropic extends BaseAnthropic {
	readonly messages: Messages = new Messages(this);
	readonly models: Models = new Models(this);
}
