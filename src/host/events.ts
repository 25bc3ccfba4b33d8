import type { EventRef } from "obsidian";

type Callback = (...args: never[]) => unknown;

interface Ref extends EventRef {
	name: string;
	callback: Callback;
}

/** A minimal version of Obsidian's `Events`: `on` returns a ref that `offref` removes. */
export class HostEvents {
	private readonly handlers = new Map<string, Ref[]>();

	on(name: string, callback: Callback): EventRef {
		const ref: Ref = { name, callback };
		const list = this.handlers.get(name) ?? [];
		list.push(ref);
		this.handlers.set(name, list);
		return ref;
	}

	offref(ref: EventRef): void {
		const { name } = ref as Ref;
		const list = this.handlers.get(name);
		if (!list) return;
		const index = list.indexOf(ref as Ref);
		if (index >= 0) list.splice(index, 1);
	}

	/**
	 * Calls every handler; one that throws does not stop the others or the caller (as the app's
	 * `tryTrigger`), and its error is rethrown on its own so that it is still seen.
	 */
	trigger(name: string, ...args: unknown[]): void {
		for (const ref of [...(this.handlers.get(name) ?? [])]) {
			try {
				(ref.callback as (...a: unknown[]) => unknown)(...args);
			} catch (error) {
				queueMicrotask(() => {
					throw error;
				});
			}
		}
	}
}
