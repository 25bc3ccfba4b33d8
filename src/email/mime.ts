/**
 * postal-mime's MIME parser, which only `.eml` files need. The engine imports this module
 * dynamically (parseEml), so reading notes never evaluates it; the CLI build keeps it in a
 * file of its own (scripts/cli-bundle.mjs). Addresses go through postal-mime's address parser
 * alone (addresses.ts).
 */
export { default as PostalMime } from "postal-mime";
